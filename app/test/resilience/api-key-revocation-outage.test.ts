import { afterEach, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { issueKey, withKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startRedisServer } from '../support/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Redis = Awaited<ReturnType<typeof startRedisServer>>;

// Revoked API keys are on a Redis list like revoked sessions, under the same REVOCATION_ON_STORE_FAILURE.
describe('API key revocation while Redis is down', () => {
  let redis: Redis | undefined;
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('fail-closed: a revoked key stays refused and a live key gets 503, never a pass', async () => {
    redis = await startRedisServer();
    app = await startTestApp({
      REDIS_URL: redis.url,
      REVOCATION_ON_STORE_FAILURE: 'closed',
      RATE_LIMIT_ON_STORE_FAILURE: 'open',
    });
    const caller = as(app, (await login(app, await createUser(app))).access_token);
    const [revoked, live] = [await issueKey(caller, ['items:read']), await issueKey(caller, ['items:read'])];
    expect((await withKey(app, revoked.key)('/api/v1/items')).status).toBe(200);
    expect((await withKey(app, live.key)('/api/v1/items')).status).toBe(200);
    expect((await caller(`/api/v1/api-keys/${revoked.id}`, { method: 'DELETE' })).status).toBe(204);
    await redis.stop();
    expect([401, 503]).toContain((await withKey(app, revoked.key)('/api/v1/items')).status);
    const still = await withKey(app, live.key)('/api/v1/items');
    await expectProblem(still, 503, 'unavailable');
    expect(Number(still.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
