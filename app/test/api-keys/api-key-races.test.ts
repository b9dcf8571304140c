import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { issueKey, keyAudit, withKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const keyLimit = 30;

// Two replicas of the service on one database and one Redis namespace, as in a cluster.
describe('API keys across replicas, under concurrent use', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const shared = {
      API_KEY_RATE_LIMIT_MAX: String(keyLimit),
      API_KEY_RATE_LIMIT_WINDOW_MS: '60000',
      RATE_LIMIT_MAX: '100000',
      REDIS_KEY_PREFIX: `test:${crypto.randomUUID()}`,
    };
    a = await startTestApp(shared);
    b = await startTestApp({ ...shared, DATABASE_URL: a.database!.url });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const ownerSession = async () => as(a, (await login(a, await createUser(a))).access_token);

  it('a revocation on one replica refuses the key on the other from the next request on, racing live traffic', async () => {
    const caller = await ownerSession();
    const { id, key } = await issueKey(caller, ['items:read']);
    // Replica B has verified the key and remembers it.
    expect((await withKey(b, key)('/api/v1/items')).status).toBe(200);

    // Requests on both replicas in flight while replica A revokes the key; more sent the moment it answered.
    const use = (i: number) => withKey(i % 2 === 0 ? b : a, key)('/api/v1/items');
    const during = Array.from({ length: 12 }, (_, i) => use(i));
    const revoke = await caller(`/api/v1/api-keys/${id}`, { method: 'DELETE' });
    expect(revoke.status).toBe(204);
    const after = await Promise.all(Array.from({ length: 12 }, (_, i) => use(i)));
    // In flight during the revocation: either answer, never another. Sent after it answered: refused, every one.
    for (const response of await Promise.all(during)) expect([200, 401]).toContain(response.status);
    for (const response of after) await expectProblem(response, 401, 'unauthorized');
    await expectProblem(await withKey(a, key)('/api/v1/items'), 401, 'unauthorized');
    expect((await keyAudit(a, id)).filter((entry) => entry === 'api_key.revoked:SUCCESS')).toHaveLength(1);
  });

  it(`admits exactly ${keyLimit} of many concurrent requests with one key over both replicas; another key has its own bucket`, async () => {
    const caller = await ownerSession();
    const [first, second] = [await issueKey(caller, ['items:read']), await issueKey(caller, ['items:read'])];
    const responses = await Promise.all(
      Array.from({ length: 80 }, (_, i) => withKey(i % 2 === 0 ? a : b, first.key)('/api/v1/items')),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(keyLimit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(80 - keyLimit);
    const refused = responses.find((response) => response.status === 429)!;
    await expectProblem(refused, 429, 'rate-limited');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('x-ratelimit-limit')).toBe(String(keyLimit));

    expect((await withKey(b, second.key)('/api/v1/items')).status).toBe(200);
    // The same client without a key is not held back by the key's bucket.
    expect((await caller('/api/v1/items')).status).toBe(200);
  });

  it('records the last use once a minute over both replicas, not once per replica', async () => {
    const caller = await ownerSession();
    const { id, key } = await issueKey(caller, ['items:read']);
    const lastUsed = async () =>
      (await a.deps.db.prisma.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect((await withKey(a, key)('/api/v1/items')).status).toBe(200);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Replica B has not written this key this minute: its conditional write finds the column fresh.
    expect((await withKey(b, key)('/api/v1/items')).status).toBe(200);
    expect(await lastUsed()).toEqual(first);
  });
});
