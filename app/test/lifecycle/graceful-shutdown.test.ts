import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { rawRequest } from '../support/raw-request.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { testEnv } from '../support/test-app.js';

/** A request whose body arrives slowly: it is in flight for as long as the chunks keep coming. */
const slowRequest = (service: ServiceProcess, chunks: number, delayMs: number) =>
  rawRequest(service.url, {
    method: 'POST',
    path: '/api/v1/in-flight',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    chunks: ['{"a":"', ...Array.from({ length: chunks }, () => 'x'), '"}'],
    delayMs,
  });

const connectionRefused = (service: ServiceProcess) =>
  fetch(`${service.url}/api/v1/health/live`).then(
    () => false,
    (error: { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED',
  );

describe('graceful shutdown of the real process', () => {
  let database: TestDatabase;
  let service: ServiceProcess | undefined;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    service?.child.kill('SIGKILL');
    await database.drop();
  });

  const start = async (extra: Record<string, string> = {}) => {
    service = await startServiceProcess(testEnv({ DATABASE_URL: database.url, ...extra }));
    return service;
  };

  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '10000' });
    const inFlight = slowRequest(running, 10, 100); // about 1 s
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.child.kill('SIGTERM');
    await expect.poll(() => connectionRefused(running), { timeout: 5000 }).toBe(true);

    const response = await inFlight;
    expect(response.status).toBe(404); // it reached routing: the whole body was read and answered
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(await running.exited()).toBe(0);
    expect(running.output()).toContain('"timedOut":false');
  });

  it('cuts requests still running when the drain timeout expires, then exits 0', async () => {
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '300' });
    const stuck = slowRequest(running, 100, 100).catch((error: Error) => error); // 10 s: longer than the drain
    await new Promise((resolve) => setTimeout(resolve, 200));
    running.child.kill('SIGTERM');
    expect(await running.exited()).toBe(0);
    expect(await stuck).toBeInstanceOf(Error);
    expect(running.output()).toContain('"timedOut":true');
  });

  it('exits at once on a second signal', async () => {
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '60000' });
    const stuck = slowRequest(running, 100, 100).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    running.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    running.child.kill('SIGINT');
    expect(await running.exited()).toBe(1);
    expect(running.output()).toContain('second signal');
    await stuck;
  });
});
