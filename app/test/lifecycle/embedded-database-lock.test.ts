import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchJson } from '../support/api.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';

const ready = (service: ServiceProcess) =>
  expect
    .poll(async () => (await fetch(`${service.url}/api/v1/health/ready`)).status, { timeout: 20_000 })
    .toBe(200);

async function adminToken(service: ServiceProcess, admin: { email: string; password: string }) {
  const login = await fetchJson(`${service.url}/api/v1/auth/token`, { method: 'POST', body: admin });
  expect(login.status).toBe(200);
  return ((await login.json()) as { access_token: string }).access_token;
}

const refusal = (holderPid: number | undefined) =>
  new RegExp(`exited with 75 before listening[\\s\\S]*in use by process ${holderPid} [\\s\\S]*PGLITE_DIR=`);

// The embedded database is one PostgreSQL server on one data directory: a second process must be turned away
// with a name and a way out, never let in to write the same files.
describe('the embedded database directory takes one process at a time', () => {
  const dirs: string[] = [];
  const running: ServiceProcess[] = [];
  const envFor = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-lock-'));
    dirs.push(dir);
    return {
      env: { PGLITE_DIR: join(dir, 'pglite'), JWT_KEYS_FILE: join(dir, 'jwt-keys.json'), LOG_FORMAT: 'json' },
      lockFile: join(dir, 'pglite', 'service.lock'),
    };
  };
  const start = async (env: Record<string, string>) => {
    const service = await startServiceProcess(env);
    running.push(service);
    return service;
  };
  afterAll(() => {
    for (const service of running) service.child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process by name, recovers the lock of a killed one, and frees it on a clean stop', async () => {
    const { env, lockFile } = envFor();
    const first = await start(env);
    await ready(first);
    const printed = /Local admin created: (\S+) \/ (\S+)/.exec(first.output());
    const admin = { email: printed![1]!, password: printed![2]! };
    const token = await adminToken(first, admin);
    const created = await fetchJson(`${first.url}/api/v1/items`, {
      method: 'POST',
      body: { title: 'written before the second start' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: string };

    await expect(start(env)).rejects.toThrow(refusal(first.child.pid));

    const read = await fetchJson(`${first.url}/api/v1/items/${item.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ title: 'written before the second start' });

    first.child.kill('SIGKILL');
    await first.exited();
    expect(existsSync(lockFile)).toBe(true); // left behind by the killed process: the next start must see past it
    const next = await start(env);
    await ready(next);
    const afterCrash = await fetchJson(`${next.url}/api/v1/items/${item.id}`, {
      headers: { authorization: `Bearer ${await adminToken(next, admin)}` },
    });
    expect(afterCrash.status).toBe(200);

    next.child.kill('SIGTERM');
    expect(await next.exited()).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  }, 150_000);

  it('lets exactly one of two processes started at the same moment have the directory', async () => {
    const { env } = envFor();
    const outcomes = await Promise.allSettled([start(env), start(env)]);
    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const winner = (winners[0] as PromiseFulfilledResult<ServiceProcess>).value;
    expect(String((losers[0] as PromiseRejectedResult).reason)).toMatch(refusal(winner.child.pid));
    await ready(winner);
  }, 90_000);
});
