import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type CallInit, fetchJson } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startRoundRobinProxy } from '../support/round-robin-proxy.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { steadyLoad } from '../support/steady-load.js';
import { testEnv } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('zero-downtime restart of one of two instances behind a load balancer', () => {
  let database: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
  const services: ServiceProcess[] = [];
  let token: string;
  let itemId: string;

  const start = async () => {
    const service = await startServiceProcess(
      testEnv({ DATABASE_URL: database.url, RATE_LIMIT_MAX: '1000000', RATE_LIMIT_AUTH_MAX: '100000' }),
    );
    services.push(service);
    return service;
  };
  const call = (path: string, init: CallInit = {}) =>
    fetchJson(`${proxy.url}${path}`, { ...init, headers: bearer(token) });

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startRoundRobinProxy({ readinessPath: '/api/v1/health/ready' });
    // Two instances in service and the one a rolling update surges before it terminates an old one.
    await Promise.all([start(), start(), start()]);
    await proxy.add(services[0]!.url);
    await proxy.add(services[1]!.url);
    const credentials = { email: `restart.${Date.now()}@example.com`, password: 'restart passphrase 1' };
    const post = (path: string, body: unknown) =>
      fetch(`${proxy.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/v1/users', { ...credentials, fullName: 'Restart Caller' })).status).toBe(201);
    const tokens = (await (await post('/api/v1/auth/token', credentials)).json()) as { access_token: string };
    token = tokens.access_token;
    const item = await call('/api/v1/items', { method: 'POST', body: { title: 'kept' } });
    itemId = ((await item.json()) as { id: string }).id;
  });
  afterAll(async () => {
    for (const service of services) service.child.kill('SIGKILL');
    await proxy?.stop();
    await database?.drop();
  });

  it('rolling update (replacement ready, old one deregistered, SIGTERM) under reads and writes: no request fails', async () => {
    const [old, , replacement] = services;
    const load = steadyLoad(6, (n) =>
      n % 3 === 0
        ? call('/api/v1/items', { method: 'POST', body: { title: `during restart ${n}` } })
        : call(`/api/v1/items/${itemId}`),
    );
    await sleep(300);
    await proxy.add(replacement!.url);
    await expect.poll(() => proxy.served(replacement!.url), { timeout: 10_000 }).toBeGreaterThan(10);
    // What a rollout does next: the old endpoint is removed (preStop pause), then the process gets SIGTERM.
    proxy.remove(old!.url);
    old!.child.kill('SIGTERM');
    await sleep(1000);
    const outcome = await load.stop();

    expect(outcome.failures).toEqual([]);
    expect(outcome.ok).toBeGreaterThan(50);
    expect(await old!.exited()).toBe(0);
    expect(old!.output()).toContain('"timedOut":false');
  });

  it('SIGTERM without warning under reads: the balancer follows readiness and refused connections, no request fails', async () => {
    const [, victim, survivor] = services;
    const load = steadyLoad(6, () => call(`/api/v1/items/${itemId}`));
    await sleep(500);
    const servedBefore = proxy.served(victim!.url);
    victim!.child.kill('SIGTERM'); // still registered: the balancer learns from readiness and refused connections
    await sleep(1500);
    const survivorBefore = proxy.served(survivor!.url);
    await sleep(500);
    const outcome = await load.stop();

    expect(servedBefore).toBeGreaterThan(0);
    expect(proxy.served(survivor!.url)).toBeGreaterThan(survivorBefore); // the survivor carries on alone
    expect(outcome.failures).toEqual([]);
    expect(proxy.stats.failures).toBe(0);
    expect(await victim!.exited()).toBe(0);
    expect(victim!.output()).toContain('"timedOut":false');
  });
});
