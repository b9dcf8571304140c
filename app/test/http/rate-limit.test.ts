import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startRedisServer } from '../support/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const timed = async (request: () => Promise<Response>) => {
  const started = performance.now();
  const response = await request();
  return { response, ms: performance.now() - started };
};

describe('rate limit', () => {
  it('limits per client in memory in the local tier', async () => {
    const app = await startTestApp({ RATE_LIMIT_STORE: 'memory', RATE_LIMIT_MAX: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await app.fetch('/api/v1/x')).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
    } finally {
      await app.close();
    }
  });

  it('never limits health probes', async () => {
    const app = await startTestApp({ RATE_LIMIT_MAX: '1' });
    try {
      for (let i = 0; i < 5; i += 1) expect((await app.fetch('/api/v1/health/live')).status).toBe(200);
      expect((await app.fetch('/api/v1/health/ready')).status).toBe(200);
      expect((await app.fetch('/api/v1/x')).status).toBe(404);
      expect((await app.fetch('/api/v1/x')).status).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('shares one count between two instances on the same Redis', async () => {
    const prefix = `test:shared:${crypto.randomUUID()}`;
    const [a, b] = await Promise.all([
      startTestApp({ RATE_LIMIT_MAX: '10', REDIS_KEY_PREFIX: prefix }),
      startTestApp({ RATE_LIMIT_MAX: '10', REDIS_KEY_PREFIX: prefix }),
    ]);
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).fetch('/api/v1/x')),
      );
      expect(responses.filter((response) => response.status === 404)).toHaveLength(10);
      expect(responses.filter((response) => response.status === 429)).toHaveLength(20);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('when Redis goes down', () => {
    let redis: Awaited<ReturnType<typeof startRedisServer>>;
    let failOpen: TestApp;
    let failClosed: TestApp;
    beforeAll(async () => {
      redis = await startRedisServer();
      [failOpen, failClosed] = await Promise.all([
        startTestApp({ REDIS_URL: redis.url, RATE_LIMIT_MAX: '3', RATE_LIMIT_ON_STORE_FAILURE: 'open' }),
        startTestApp({ REDIS_URL: redis.url, RATE_LIMIT_MAX: '3', RATE_LIMIT_ON_STORE_FAILURE: 'closed' }),
      ]);
      await redis.stop();
    });
    afterAll(async () => {
      await Promise.all([failOpen.close(), failClosed.close()]);
      await redis.stop();
    });

    it('fail-open serves requests within milliseconds, past the limit', async () => {
      for (let i = 0; i < 5; i += 1) {
        const { response, ms } = await timed(() => failOpen.fetch('/api/v1/x'));
        expect(response.status).toBe(404);
        expect(ms).toBeLessThan(1000); // bounded: ioredis would otherwise queue for 10-15 s
      }
      expect(failOpen.logs.lines.some((line) => line.msg === 'rate-limit store unavailable')).toBe(true);
    });

    it('fail-closed refuses with a 503 problem within milliseconds', async () => {
      const { response, ms } = await timed(() => failClosed.fetch('/api/v1/x'));
      await expectProblem(response, 503, 'unavailable');
      expect(response.headers.get('retry-after')).toBe('1');
      expect(ms).toBeLessThan(1000);
    });

    it('health probes are answered either way, and readiness reports Redis down', async () => {
      expect((await failClosed.fetch('/api/v1/health/live')).status).toBe(200);
      const ready = await failClosed.fetch('/api/v1/health/ready');
      const body = await expectProblem(ready, 503, 'unavailable');
      expect(body.checks).toContainEqual(expect.objectContaining({ name: 'redis', status: 'down' }));
      expect(body.checks).toContainEqual(expect.objectContaining({ name: 'database', status: 'up' }));
    });

    it('limits again once Redis is back, without a restart', async () => {
      await redis.start();
      await expect
        .poll(async () => (await failClosed.fetch('/api/v1/health/ready')).status, { timeout: 10_000 })
        .toBe(200);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await failClosed.fetch('/api/v1/x')).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
    });
  });
});
