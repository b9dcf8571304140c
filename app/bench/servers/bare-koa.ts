// Baseline: Koa with one route returning the same JSON as the liveness endpoint, and nothing else.
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = { status: 'ok', version: 'bench', tier: 'bench' };
});
app.listen(Number(process.env.PORT), '127.0.0.1');
