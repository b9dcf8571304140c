import { afterEach, describe, expect, it } from 'vitest';
import { tierDefaults } from '../../src/config/tiers.js';
import { as, createUser, login } from '../support/api.js';
import { startRedisServer } from '../support/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Redis = Awaited<ReturnType<typeof startRedisServer>>;

// The revoked-session list lives in Redis. Where revocation fails closed, an outage may refuse requests
// (503) but must never let a logged-out session's access token back in.
describe('revocation while Redis is down', () => {
  let redis: Redis | undefined;
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    await redis?.stop();
  });

  const start = async (policy: 'open' | 'closed') => {
    redis = await startRedisServer();
    app = await startTestApp({
      REDIS_URL: redis.url,
      REVOCATION_ON_STORE_FAILURE: policy,
      RATE_LIMIT_ON_STORE_FAILURE: 'open',
    });
    return { app, redis };
  };

  it('prod and staging fail closed for revocation by default; local and dev fail open', () => {
    expect(tierDefaults.prod.REVOCATION_ON_STORE_FAILURE).toBe('closed');
    expect(tierDefaults.staging.REVOCATION_ON_STORE_FAILURE).toBe('closed');
    expect(tierDefaults.dev.REVOCATION_ON_STORE_FAILURE).toBe('open');
    expect(tierDefaults.prod.RATE_LIMIT_ON_STORE_FAILURE).toBe('closed');
    expect(tierDefaults.staging.RATE_LIMIT_ON_STORE_FAILURE).toBe('closed');
  });

  it('fail-closed: a logged-out token is refused while Redis is down, and a live one gets 503, not a pass', async () => {
    const { app, redis } = await start('closed');
    const user = await createUser(app);
    const [gone, live] = [await login(app, user), await login(app, user)];
    expect((await as(app, gone.access_token)('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    await redis.stop();
    const loggedOut = await as(app, gone.access_token)('/api/v1/users/me');
    expect([401, 503]).toContain(loggedOut.status);
    const still = await as(app, live.access_token)('/api/v1/users/me');
    expect(still.status).toBe(503);
    expect(still.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(still.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a logout during the outage is enforced once Redis is back, on every replica', async () => {
    // Fail-open (dev): the logout itself is served during the outage (fail-closed answers it 503 instead).
    const { app, redis } = await start('open');
    const user = await createUser(app);
    const tokens = await login(app, user);
    await redis.stop();
    expect((await as(app, tokens.access_token)('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    await redis.start();
    await expect
      .poll(async () => (await app.fetch('/api/v1/health/ready')).status, { timeout: 10_000 })
      .toBe(200);
    await expect
      .poll(async () => (await as(app, tokens.access_token)('/api/v1/users/me')).status, { timeout: 5000 })
      .toBe(401);
    // Another replica that never saw the logout reads the same list.
    const other = await startTestApp({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: app.cfg.redisKeyPrefix,
      DATABASE_URL: app.database!.url,
    });
    try {
      // It learns of it from Redis alone, once the first replica has republished it (on reconnect).
      await expect
        .poll(async () => (await as(other, tokens.access_token)('/api/v1/users/me')).status, {
          timeout: 3000,
        })
        .toBe(401);
    } finally {
      await other.close();
    }
  });
});
