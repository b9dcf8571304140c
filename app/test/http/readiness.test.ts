import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { expectProblem } from '../support/problem.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('health', () => {
  let database: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let app: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(5432);
    const url = new URL(database.url);
    url.port = String(proxy.port);
    // Each probe here must see the database as it is now: no reuse of an earlier result.
    app = await startTestApp({
      DATABASE_URL: url.toString(),
      READINESS_TIMEOUT_MS: '2000',
      READINESS_CACHE_MS: '0',
    });
  });
  afterAll(async () => {
    await app.close();
    await proxy.stop();
    await database.drop();
  });

  it('live answers 200 with version and tier', async () => {
    const response = await app.fetch('/api/v1/health/live');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: '0.0.0-dev', tier: 'dev' });
  });

  it('ready answers 200 with each check by name and state while everything is up', async () => {
    const response = await app.fetch('/api/v1/health/ready');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: unknown[] };
    expect(body.checks).toEqual([
      { name: 'database', critical: true, status: 'up' },
      { name: 'redis', critical: false, status: 'up' },
    ]);
  });

  it('ready turns 503 naming the database when it becomes unreachable, and recovers when it returns', async () => {
    await proxy.cut();
    const down = await app.fetch('/api/v1/health/ready');
    const body = await expectProblem(down, 503, 'unavailable');
    expect(body.checks).toContainEqual({ name: 'database', critical: true, status: 'down' });
    expect(
      app.logs.lines.some((line) => line.msg === 'readiness check failed' && line.check === 'database'),
    ).toBe(true);
    expect(body.detail).toBe('Not ready: database unavailable.');
    expect((await app.fetch('/api/v1/health/live')).status).toBe(200);

    await proxy.restore();
    await expect
      .poll(async () => (await app.fetch('/api/v1/health/ready')).status, { timeout: 10_000 })
      .toBe(200);
  });

  it('ready turns 503 once shutdown begins, while live stays 200', async () => {
    const other = await startTestApp();
    try {
      other.stopAcceptingTraffic();
      const body = await expectProblem(await other.fetch('/api/v1/health/ready'), 503, 'unavailable');
      expect(body.detail).toBe('The service is shutting down.');
      expect((await other.fetch('/api/v1/health/live')).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('readiness is cheap, terse and internal', () => {
  it('names failed dependencies without their error text (hosts, ports)', async () => {
    const app = await startTestApp({}, (cfg, deps) =>
      createApp(cfg, {
        ...deps,
        readinessChecks: [
          ...deps.readinessChecks,
          { name: 'vault', check: () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:8200')) },
        ],
      }),
    );
    try {
      const response = await app.fetch('/api/v1/health/ready');
      const text = await response.clone().text();
      expect(text).not.toContain('ECONNREFUSED');
      expect(text).not.toContain('10.1.2.3');
      const body = await expectProblem(response, 503, 'unavailable');
      expect(body.checks).toContainEqual({ name: 'vault', critical: true, status: 'down' });
    } finally {
      await app.close();
    }
  });

  it('many probes at once, and again within the cache period, ping the database once', async () => {
    let pings = 0;
    const app = await startTestApp({ READINESS_CACHE_MS: '5000' }, (cfg, deps) =>
      createApp(cfg, {
        ...deps,
        readinessChecks: [
          {
            name: 'database',
            check: async () => {
              pings += 1;
              await deps.db.ping();
            },
          },
        ],
      }),
    );
    try {
      const statuses = await Promise.all(
        Array.from({ length: 50 }, async () => (await app.fetch('/api/v1/health/ready')).status),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect((await app.fetch('/api/v1/health/ready')).status).toBe(200);
      expect(pings).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('is not served to requests that came through the gateway', async () => {
    const app = await startTestApp();
    try {
      for (const header of ['x-forwarded-for', 'forwarded', 'x-forwarded-host']) {
        const viaGateway = await app.fetch('/api/v1/health/ready', {
          headers: { [header]: 'for=203.0.113.5' },
        });
        await expectProblem(viaGateway, 404, 'not-found');
      }
      expect((await app.fetch('/api/v1/health/ready')).status).toBe(200);
      expect(
        (await app.fetch('/api/v1/health/live', { headers: { 'x-forwarded-for': '203.0.113.5' } })).status,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });
});
