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

  it('shares one exact count between two instances on the same Redis per request: 100 of 300 accepted', async () => {
    const prefix = `test:shared:${crypto.randomUUID()}`;
    const env = { RATE_LIMIT_MAX: '100', REDIS_KEY_PREFIX: prefix, RATE_LIMIT_SYNC: 'per-request' };
    const [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      const responses = await Promise.all(
        Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).fetch('/api/v1/x')),
      );
      expect(responses.filter((response) => response.status === 404)).toHaveLength(100);
      expect(responses.filter((response) => response.status === 429)).toHaveLength(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('gives the auth endpoints their own, stricter limit', async () => {
    const app = await startTestApp({ RATE_LIMIT_MAX: '50', RATE_LIMIT_AUTH_MAX: '2' });
    try {
      const token = () =>
        app.fetch('/api/v1/auth/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      expect([(await token()).status, (await token()).status, (await token()).status]).toEqual([
        422, 422, 429,
      ]);
      const limited = await token();
      expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
      expect((await app.fetch('/api/v1/x')).headers.get('x-ratelimit-limit')).toBe('50');
    } finally {
      await app.close();
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

    it('stays ready, reporting Redis as degraded, so the replica keeps its traffic', async () => {
      expect((await failClosed.fetch('/api/v1/health/live')).status).toBe(200);
      const ready = await failClosed.fetch('/api/v1/health/ready');
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; checks: unknown[] };
      expect(body.status).toBe('degraded');
      expect(body.checks).toContainEqual(
        expect.objectContaining({ name: 'redis', critical: false, status: 'down' }),
      );
      expect(body.checks).toContainEqual(
        expect.objectContaining({ name: 'database', critical: true, status: 'up' }),
      );
    });

    it('limits again once Redis is back, without a restart', async () => {
      await redis.start();
      const readiness = async () =>
        ((await (await failClosed.fetch('/api/v1/health/ready')).json()) as { status: string }).status;
      await expect.poll(readiness, { timeout: 10_000 }).toBe('ready');
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await failClosed.fetch('/api/v1/x')).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
    });
  });
});
