import type Router from '@koa/router';
import type { Middleware } from 'koa';

/**
 * The router's answers for OPTIONS and for a method a path does not have, without its 501. @koa/router
 * (15.7, `allowedMethods`) answers a method no route uses anywhere (TRACE, PROPFIND) with 501 Not
 * Implemented, which the mesh counts as a server error (Istio outlier detection ejects a pod after
 * consecutive 5xx). The method is the client's choice, so the client's mistake: 405 with the path's `Allow`
 * list where a route has this path, else the 404 any unknown path gets.
 */
export function allowedMethods(router: Router): Middleware {
  const answer = router.allowedMethods() as Middleware;
  return async function allowedMethods(ctx, next) {
    await answer(ctx, next);
    if (ctx.status !== 501 || ctx.body != null) return;
    if (ctx.response.get('Allow')) {
      ctx.status = 405;
    } else {
      ctx.remove('Allow');
      ctx.status = 404;
    }
  };
}
