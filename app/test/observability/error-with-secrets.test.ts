import Router from '@koa/router';
import type Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Config } from '../../src/config/index.js';
import type { Dependencies } from '../../src/dependencies.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const jwt = `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIke${crypto.randomUUID().replaceAll('-', '')}.c2lnbmF0dXJl`;
const bearer = `opaque${crypto.randomUUID().replaceAll('-', '')}`;
const vaultToken = `hvs.${crypto.randomUUID().replaceAll('-', '')}`;
const dbPassword = `pw${crypto.randomUUID().slice(0, 12)}`;

/** A dependency failing with everything it knew in its message, as real client libraries sometimes do. */
function withLeakyRoute(cfg: Config, deps: Dependencies & { isAcceptingTraffic: () => boolean }): Koa {
  const app = createApp(cfg, deps);
  const router = new Router();
  router.get('/api/v1/leaky', () => {
    throw new Error(
      `upstream refused token ${jwt} (Authorization: Bearer ${bearer}); vault said ${vaultToken}; ` +
        `dsn postgresql://app:${dbPassword}@db:5432/app; retry with ?access_token=${bearer}`,
    );
  });
  app.use(router.routes());
  return app;
}

describe('an unexpected error carrying secrets in its message', () => {
  let app: TestApp;
  let response: Response;
  beforeAll(async () => {
    app = await startTestApp({}, withLeakyRoute);
    response = await app.fetch('/api/v1/leaky');
  });
  afterAll(() => app.close());

  it('is logged once, with its stack, but with every secret cut out of the text', () => {
    expect(response.status).toBe(500);
    const logged = app.logs.lines.filter((line) => line.msg === 'unexpected error');
    expect(logged).toHaveLength(1);
    const err = logged[0]?.err as { message: string; stack: string };
    expect(err.message).toContain('upstream refused token [redacted-jwt]');
    expect(err.message).toContain('postgresql://app:[redacted]@db:5432/app');
    expect(err.stack).toContain('error-with-secrets.test.ts');
    for (const secret of [jwt, bearer, vaultToken, dbPassword]) expect(app.logs.text()).not.toContain(secret);
  });

  it('reaches neither the client nor the metrics', async () => {
    const body = await response.text();
    const metrics = await (await app.fetch('/metrics')).text();
    for (const secret of [jwt, bearer, vaultToken, dbPassword]) {
      expect(body).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
    expect(metrics).toContain('route="/api/v1/leaky",status_code="500"');
  });
});

describe('secrets in logged objects and messages', () => {
  it('are redacted by field name wherever they sit, and cut out of free-text messages', async () => {
    const app = await startTestApp();
    try {
      app.deps.log.info(
        {
          req: {
            headers: {
              authorization: `Bearer ${bearer}`,
              cookie: 'sid=cookie-value-1',
              'x-vault-token': vaultToken,
            },
          },
          login: { email: 'a@example.com', password: 'hunter2hunter2' },
          tokens: { accessToken: jwt, refreshToken: 'refresh-value-1', refresh_token: 'refresh-value-2' },
          vault: { clientToken: 'client-token-value', signingKeys: '[{"d":"private-d"}]' },
        },
        `calling upstream with Bearer ${bearer}`,
      );
      const text = app.logs.text();
      for (const secret of [
        bearer,
        vaultToken,
        jwt,
        'cookie-value-1',
        'hunter2hunter2',
        'refresh-value-1',
        'refresh-value-2',
        'client-token-value',
        'private-d',
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain('a@example.com');
      expect(text).toContain('calling upstream with Bearer [redacted]');
    } finally {
      await app.close();
    }
  });
});
