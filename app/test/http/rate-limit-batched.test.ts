import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BatchedCounter, type BatchedCounterOptions } from '../../src/http/middleware/batched-counter.js';
import { expectProblem } from '../support/problem.js';
import { sharedRedisUrl, startTestApp } from '../support/test-app.js';

// Each counter stands for one replica, with its own Redis connection, as replicas have.
const clients: Redis[] = [];
const counters: BatchedCounter[] = [];
afterEach(() => {
  for (const counter of counters.splice(0)) counter.close();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});

async function replicas(count: number, opts: Omit<BatchedCounterOptions, 'redis' | 'keyPrefix'>) {
  const keyPrefix = `test:batched:${crypto.randomUUID()}`;
  const made = await Promise.all(
    Array.from({ length: count }, async () => {
      const redis = new Redis(sharedRedisUrl, { lazyConnect: true });
      await redis.connect();
      clients.push(redis);
      const counter = new BatchedCounter({ redis, keyPrefix, ...opts });
      counters.push(counter);
      return counter;
    }),
  );
  return { counters: made, key: (id: string) => `${keyPrefix}:${id}`, redis: clients.at(-1)! };
}

/** `requests` concurrent takes for one client, spread round-robin over the replicas. */
async function burst(replicaCounters: BatchedCounter[], requests: number) {
  const counts = await Promise.all(
    Array.from({ length: requests }, (_, i) => replicaCounters[i % replicaCounters.length]!.take('client')),
  );
  return counts.filter((count) => count.admitted).length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batched rate-limit counter on a shared Redis', () => {
  it('is exact with one replica, whatever the batch', async () => {
    const {
      counters: [only],
    } = await replicas(1, { max: 100, windowMs: 60_000, batch: 10, syncIntervalMs: 50 });
    expect(await burst([only!], 300)).toBe(100);
  });

  it('is exact with one replica while interval syncs are in flight', async () => {
    for (let round = 0; round < 3; round += 1) {
      const {
        counters: [only],
      } = await replicas(1, { max: 100, windowMs: 60_000, batch: 50, syncIntervalMs: 1 });
      // Requests spread over ~30 ms meet syncs sent by the timer (fewer than a batch) still awaiting replies.
      const counts = await Promise.all(
        Array.from({ length: 300 }, (_, i) => sleep(i / 10).then(() => only!.take('client'))),
      );
      expect(counts.filter((count) => count.admitted)).toHaveLength(100);
    }
  });

  it('admits at most max + (R - 1) * B across R racing replicas, and refuses the rest', async () => {
    const [replicaCount, max, batch] = [3, 100, 10];
    for (let round = 0; round < 5; round += 1) {
      const {
        counters: racing,
        key,
        redis,
      } = await replicas(replicaCount, {
        max,
        windowMs: 60_000,
        batch,
        syncIntervalMs: 20,
      });
      // Warm each replica's window first, then race: the joins alone would sync everything.
      await Promise.all(racing.map((counter) => counter.take('client')));
      const admitted = replicaCount + (await burst(racing, 600));
      expect(admitted).toBeGreaterThanOrEqual(max); // a refusal only counts real admissions
      expect(admitted).toBeLessThanOrEqual(max + (replicaCount - 1) * batch);
      // Every admission reaches Redis by the next sync tick.
      await sleep(100);
      expect(Number(await redis.get(key('client')))).toBe(admitted);
    }
  });

  it('learns the other replicas’ admissions in batches, not only at the start of a window', async () => {
    const {
      counters: [a, b],
    } = await replicas(2, { max: 50, windowMs: 60_000, batch: 5, syncIntervalMs: 20 });
    await Promise.all([a!.take('client'), b!.take('client')]);
    for (let i = 0; i < 40; i += 1) await a!.take('client');
    await sleep(100);
    // b has seen none of a's 41 requests itself; it may admit at most what is left plus one batch.
    let admittedByB = 0;
    for (let i = 0; i < 40; i += 1) if ((await b!.take('client')).admitted) admittedByB += 1;
    expect(admittedByB).toBeLessThanOrEqual(50 - 41 - 1 + 5);
  });

  it('starts a new count when the window ends', async () => {
    const {
      counters: [only],
    } = await replicas(1, { max: 3, windowMs: 300, batch: 1, syncIntervalMs: 20 });
    expect(await burst([only!], 5)).toBe(3);
    await sleep(400);
    expect(await burst([only!], 5)).toBe(3);
  });
});

describe('batched global limit in the service', () => {
  it('answers refusals as 429 problems with the rate-limit headers, within the documented bound', async () => {
    const prefix = `test:shared:${crypto.randomUUID()}`;
    // B = 100 * 0.05 = 5 per replica.
    const env = { RATE_LIMIT_MAX: '100', REDIS_KEY_PREFIX: prefix, RATE_LIMIT_SYNC: 'batched' };
    const [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      const responses = await Promise.all(
        Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).fetch('/api/v1/x')),
      );
      const served = responses.filter((response) => response.status === 404);
      expect(served.length).toBeGreaterThanOrEqual(100);
      expect(served.length).toBeLessThanOrEqual(105);
      expect(served[0]!.headers.get('x-ratelimit-limit')).toBe('100');
      const reset = Number(served[0]!.headers.get('x-ratelimit-reset'));
      expect(reset * 1000).toBeGreaterThan(Date.now());
      const refused = responses.find((response) => response.status === 429)!;
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await expectProblem(refused, 429, 'rate-limited');
      expect((await a.fetch('/api/v1/health/live')).status).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
