import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startRedisServer } from '../support/redis-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Counts the item look-ups that really reach PostgreSQL, by reading the wire protocol between the service and
 * the database: each query's SQL text crosses it once.
 */
async function countedDatabase(database: TestDatabase) {
  let wire = '';
  const proxy = await startTcpProxy(5432, (bytes) => {
    wire += bytes.toString('latin1');
  });
  const url = new URL(database.url);
  url.port = String(proxy.port);
  return {
    url: url.toString(),
    proxy,
    itemLookups: () =>
      (wire.match(/FROM "public"\."items" WHERE \("public"\."items"\."id" = /g) ?? []).length,
  };
}

describe('read-through cache for single items and users', () => {
  let database: TestDatabase;
  let counted: Awaited<ReturnType<typeof countedDatabase>>;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let app: TestApp;
  let owner: ReturnType<typeof as>;
  beforeAll(async () => {
    database = await createTestDatabase();
    counted = await countedDatabase(database);
    redis = await startRedisServer();
    app = await startTestApp({ DATABASE_URL: counted.url, REDIS_URL: redis.url, RATE_LIMIT_MAX: '100000' });
    owner = as(app, (await login(app, await createUser(app))).access_token);
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
    await counted.proxy.stop();
    await database.drop();
  });

  const newItem = async (title: string) =>
    ((await (await owner('/api/v1/items', { method: 'POST', body: { title } })).json()) as { id: string }).id;

  it('reads the database once, then answers from the cache', async () => {
    const id = await newItem('cached');
    const before = counted.itemLookups();
    const first = await (await owner(`/api/v1/items/${id}`)).json();
    const second = await (await owner(`/api/v1/items/${id}`)).json();
    expect(second).toEqual(first);
    expect(counted.itemLookups() - before).toBe(1);
  });

  it('drops the cached copy on every write, so the next read sees the change', async () => {
    const id = await newItem('before');
    await owner(`/api/v1/items/${id}`);
    await owner(`/api/v1/items/${id}`, { method: 'PATCH', body: { title: 'after' } });
    expect(await (await owner(`/api/v1/items/${id}`)).json()).toMatchObject({ title: 'after' });
    await owner(`/api/v1/items/${id}`, { method: 'DELETE' });
    expect((await owner(`/api/v1/items/${id}`)).status).toBe(404);
  });

  it('sends 50 concurrent reads of a cold key to the database once', async () => {
    const id = await newItem('cold');
    const before = counted.itemLookups();
    const responses = await Promise.all(Array.from({ length: 50 }, () => owner(`/api/v1/items/${id}`)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(counted.itemLookups() - before).toBe(1);
  });

  it('keeps the encrypted full name encrypted in the cache, and never caches the password hash', async () => {
    const admin = as(app, (await login(app, await createUser(app, { role: 'ADMIN' }))).access_token);
    const user = await createUser(app);
    expect(await (await admin(`/api/v1/users/${user.id}`)).json()).toMatchObject({ fullName: user.fullName });
    const keys = await app.deps.redis!.keys(`${app.cfg.redisKeyPrefix}:cache:user:${user.id}`);
    const cached = await app.deps.redis!.get(keys[0]!);
    expect(cached).not.toContain(user.fullName);
    expect(cached).not.toContain('argon2');
  });

  it('keeps answering quickly from the database while Redis is down, and uses the cache again when it is back', async () => {
    const id = await newItem('outage');
    await redis.stop();
    const timings: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      const response = await owner(`/api/v1/items/${id}`);
      timings.push(performance.now() - started);
      expect(response.status).toBe(200);
    }
    timings.sort((a, b) => a - b);
    // Bounded, not benchmarked: without fail-fast Redis commands these would take seconds each.
    expect(timings[Math.floor(timings.length / 2)]).toBeLessThan(100);
    const ready = (await (await app.fetch('/api/v1/health/ready')).json()) as { status: string };
    expect(ready.status).toBe('degraded');

    await redis.start();
    const readiness = async () =>
      ((await (await app.fetch('/api/v1/health/ready')).json()) as { status: string }).status;
    await expect.poll(readiness, { timeout: 10_000 }).toBe('ready');
    await owner(`/api/v1/items/${id}`);
    const before = counted.itemLookups();
    await owner(`/api/v1/items/${id}`);
    expect(counted.itemLookups() - before).toBe(0);
  });

  it('reads the database every time when the cache is turned off', async () => {
    const uncached = await startTestApp({ DATABASE_URL: counted.url, CACHE_ENABLED: 'false' });
    try {
      const client = as(uncached, (await login(uncached, await createUser(uncached))).access_token);
      const { id } = (await (
        await client('/api/v1/items', { method: 'POST', body: { title: 'x' } })
      ).json()) as { id: string };
      const before = counted.itemLookups();
      await client(`/api/v1/items/${id}`);
      await client(`/api/v1/items/${id}`);
      expect(counted.itemLookups() - before).toBe(2);
    } finally {
      await uncached.close();
    }
  });
});
