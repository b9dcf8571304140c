import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    app = await startTestApp({ DATABASE_URL: url.toString(), READINESS_TIMEOUT_MS: '2000' });
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

  it('ready answers 200 with each check and its latency while everything is up', async () => {
    const response = await app.fetch('/api/v1/health/ready');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: unknown[] };
    expect(body.checks).toEqual([
      { name: 'database', critical: true, status: 'up', latencyMs: expect.any(Number) },
      { name: 'redis', critical: false, status: 'up', latencyMs: expect.any(Number) },
    ]);
  });

  it('ready turns 503 naming the database when it becomes unreachable, and recovers when it returns', async () => {
    await proxy.cut();
    const down = await app.fetch('/api/v1/health/ready');
    const body = await expectProblem(down, 503, 'unavailable');
    expect(body.checks).toContainEqual(
      expect.objectContaining({ name: 'database', status: 'down', error: expect.any(String) }),
    );
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
