import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, pgMigrationTarget } from '../../src/adapters/db/migrations/index.js';
import { bearer, type CallInit, fetchJson } from '../support/api.js';
import { type PostgresServer, startPostgresServer } from '../support/postgres-server.js';
import { expectProblem } from '../support/problem.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { steadyLoad } from '../support/steady-load.js';
import { testEnv } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A PostgreSQL server of this test's own, stopped the way a crash or failover stops it, under steady load.
describe('PostgreSQL outage', () => {
  let postgres: PostgresServer;
  let service: ServiceProcess;
  let token: string;
  let itemId: string;

  const call = (path: string, init: CallInit = {}) =>
    fetchJson(`${service.url}${path}`, { ...init, headers: bearer(token) });
  const createItem = (title: string) => call('/api/v1/items', { method: 'POST', body: { title } });

  beforeAll(async () => {
    postgres = await startPostgresServer();
    const url = postgres.urlFor('postgres');
    const target = pgMigrationTarget(url);
    await applyMigrations(target).finally(() => target.close());
    service = await startServiceProcess(
      testEnv({
        DATABASE_URL: url,
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        READINESS_TIMEOUT_MS: '500',
        RATE_LIMIT_MAX: '1000000',
        RATE_LIMIT_AUTH_MAX: '100000',
        CACHE_ENABLED: 'false', // reads must reach the database for this test to mean anything
      }),
    );
    const credentials = { email: `outage.${Date.now()}@example.com`, password: 'outage passphrase 1' };
    const post = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/v1/users', { ...credentials, fullName: 'Outage Caller' })).status).toBe(201);
    token = ((await (await post('/api/v1/auth/token', credentials)).json()) as { access_token: string })
      .access_token;
    itemId = ((await (await createItem('before the outage')).json()) as { id: string }).id;
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await postgres?.destroy();
  });

  it('answers 503 problems while the database is down, stays up, and recovers without a restart', async () => {
    const load = steadyLoad(4, (n) =>
      n % 2 ? createItem(`under load ${n}`) : call(`/api/v1/items/${itemId}`),
    );
    await sleep(300);
    await postgres.kill();

    const ready = await expectProblem(await call('/api/v1/health/ready'), 503, 'unavailable');
    expect(ready.checks).toContainEqual(expect.objectContaining({ name: 'database', status: 'down' }));
    const write = await createItem('while down');
    await expectProblem(write, 503, 'unavailable');
    expect(write.headers.get('retry-after')).toBe('1');
    await expectProblem(await call(`/api/v1/items/${itemId}`), 503, 'unavailable');
    await expectProblem(await call('/api/v1/items'), 503, 'unavailable');
    expect((await call('/api/v1/health/live')).status).toBe(200);
    await sleep(1000);

    await postgres.start();
    await expect.poll(async () => (await call('/api/v1/health/ready')).status, { timeout: 15_000 }).toBe(200);
    await expect.poll(async () => (await createItem('after the outage')).status, { timeout: 5000 }).toBe(201);
    const outcome = await load.stop();

    // Every request got an answer: served, or a clean 503 while the database was away. Never a 500.
    expect(Object.keys(outcome.statuses).sort()).toEqual(['200', '201', '503']);
    expect(service.child.exitCode).toBeNull();
    expect(service.output()).not.toContain('unexpected error');
  });
});
