import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { startRedisServer } from '../support/redis-server.js';
import { steadyLoad } from '../support/steady-load.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Redis holds the rate-limit counts, the revoked-session list, the login throttle and the read cache. With the
// fail-open policy none of them may turn a Redis outage into failed requests.
describe('Redis outage under load (fail-open)', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let app: TestApp;
  let user: Awaited<ReturnType<typeof createUser>>;
  let token: string;
  let itemId: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startTestApp({
      REDIS_URL: redis.url,
      RATE_LIMIT_ON_STORE_FAILURE: 'open',
      REVOCATION_ON_STORE_FAILURE: 'open',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_AUTH_MAX: '100000',
      READINESS_TIMEOUT_MS: '500',
    });
    user = await createUser(app);
    token = (await login(app, user)).access_token;
    const created = await as(app, token)('/api/v1/items', { method: 'POST', body: { title: 'cached' } });
    itemId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('keeps serving every request while Redis is down and limits again once it is back', async () => {
    const caller = as(app, token);
    const load = steadyLoad(4, (n) =>
      n % 4 === 0
        ? caller('/api/v1/items', { method: 'POST', body: { title: `under load ${n}` } })
        : caller(`/api/v1/items/${itemId}`),
    );
    await sleep(300);
    const limited = await caller(`/api/v1/items/${itemId}`);
    expect(limited.headers.get('x-ratelimit-remaining')).not.toBeNull();

    await redis.stop();
    // Redis is not critical: the instance stays in rotation, degraded, rather than taking no traffic at all.
    await expect
      .poll(async () => (await app.fetch('/api/v1/health/ready')).json(), { timeout: 5000 })
      .toMatchObject({
        status: 'degraded',
        checks: expect.arrayContaining([expect.objectContaining({ name: 'redis', status: 'down' })]),
      });
    const unlimited = await caller(`/api/v1/items/${itemId}`);
    expect(unlimited.status).toBe(200);
    expect(unlimited.headers.get('x-ratelimit-remaining')).toBeNull(); // served without a count: fail-open
    expect((await login(app, user)).access_token).toBeTruthy(); // the throttle counts in memory meanwhile
    await sleep(1000);

    await redis.start();
    await expect
      .poll(async () => (await app.fetch('/api/v1/health/ready')).status, { timeout: 10_000 })
      .toBe(200);
    await expect
      .poll(async () => (await caller(`/api/v1/items/${itemId}`)).headers.get('x-ratelimit-remaining'), {
        timeout: 5000,
      })
      .not.toBeNull();
    const outcome = await load.stop();

    expect(outcome.failures).toEqual([]);
    expect(outcome.ok).toBeGreaterThan(50);
    expect(app.logs.lines.some((line) => line.msg === 'rate-limit store unavailable')).toBe(true);
  });
});

describe('shutdown while Redis is away', () => {
  it('closes every dependency without an error', async () => {
    const redis = await startRedisServer();
    const app = await startTestApp({ REDIS_URL: redis.url, READINESS_TIMEOUT_MS: '500' });
    try {
      await redis.stop();
      await expect
        .poll(
          async () => ((await (await app.fetch('/api/v1/health/ready')).json()) as { status: string }).status,
        )
        .toBe('degraded');
      // Long enough for every client (the job queue's too) to be between reconnect attempts.
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await expect(app.close()).resolves.toBeUndefined();
      await redis.stop();
    }
  });
});
