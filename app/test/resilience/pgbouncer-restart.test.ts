import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startPgBouncer } from '../support/pgbouncer.js';
import { steadyLoad } from '../support/steady-load.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PgBouncer restart under load', () => {
  let database: TestDatabase;
  let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    bouncer = await startPgBouncer({ poolSize: 4 });
    app = await startTestApp({
      DATABASE_URL: bouncer.urlFor(database.url),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      READINESS_TIMEOUT_MS: '500',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_AUTH_MAX: '100000',
      CACHE_ENABLED: 'false',
    });
    token = (await login(app, await createUser(app))).access_token;
  });
  afterAll(async () => {
    await app?.close();
    bouncer?.stop();
    await database?.drop();
  });

  it('fails cleanly with 503 while the pooler is away and recovers on its own', async () => {
    const caller = as(app, token);
    const load = steadyLoad(4, (n) =>
      n % 2
        ? caller('/api/v1/items', { method: 'POST', body: { title: `pooled ${n}` } })
        : caller('/api/v1/items'),
    );
    await sleep(500);
    await bouncer.kill();
    await sleep(500);
    await bouncer.start();
    await expect
      .poll(async () => (await app.fetch('/api/v1/health/ready')).status, { timeout: 10_000 })
      .toBe(200);
    const recovered = load.count();
    await sleep(1000);
    const outcome = await load.stop();

    // Served, or refused with a clean 503 while the pooler was away: never a 500 or a dropped connection.
    expect(Object.keys(outcome.statuses).every((status) => ['200', '201', '503'].includes(status))).toBe(
      true,
    );
    expect(outcome.statuses['503']).toBeGreaterThan(0);
    expect(outcome.failures.every((line) => / 503 \{"type":"\/problems\/unavailable"/.test(line))).toBe(true);
    expect(load.count() - recovered).toBeGreaterThan(20);
    // After recovery, every request succeeds again.
    const after = steadyLoad(2, () => caller('/api/v1/items'));
    await sleep(500);
    expect((await after.stop()).failures).toEqual([]);
    expect(app.logs.lines.filter((line) => line.msg === 'unexpected error')).toEqual([]);
  });
});
