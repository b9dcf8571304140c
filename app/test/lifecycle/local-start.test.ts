import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';

// What `npm start` does on a fresh machine: the local tier, embedded PostgreSQL, no Redis, no Vault.
describe('the local tier with nothing installed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-tier-'));
  let service: ServiceProcess | undefined;
  afterAll(() => {
    service?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates its embedded database, seeds an admin once, and serves the API', async () => {
    const env = {
      PGLITE_DIR: join(dir, 'pglite'),
      JWT_KEYS_FILE: join(dir, 'jwt-keys.json'),
      LOG_FORMAT: 'json',
    };
    service = await startServiceProcess(env);
    await expect
      .poll(async () => (await fetch(`${service!.url}/api/v1/health/ready`)).status, { timeout: 20_000 })
      .toBe(200);
    // Where the start's time went, in the order the phases happen (no telemetry bootstrap here: no --import).
    await expect.poll(() => service!.output(), { timeout: 5_000 }).toContain('"startupMs"');
    const listening = service
      .output()
      .split('\n')
      .find((line) => line.includes('"startupMs"'));
    const phases = (JSON.parse(listening!) as { startupMs: Record<string, number> }).startupMs;
    expect(Object.keys(phases)).toEqual(['modules', 'config', 'dependencies', 'app', 'listening']);
    expect(Object.values(phases)).toEqual(Object.values(phases).toSorted((a, b) => a - b));
    expect(await (await fetch(`${service.url}/api/v1/health/live`)).json()).toMatchObject({
      status: 'ok',
      tier: 'local',
    });

    const printed = /Local admin created: (\S+) \/ (\S+)/.exec(service.output());
    expect(printed).not.toBeNull();
    const login = await fetch(`${service.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: printed![1], password: printed![2] }),
    });
    expect(login.status).toBe(200);
    expect((await fetch(`${service.url}/docs/`)).status).toBe(200);

    service.child.kill('SIGTERM');
    expect(await service.exited()).toBe(0);
    service = await startServiceProcess(env); // same data directory: nothing to migrate, no second admin
    await expect
      .poll(async () => (await fetch(`${service!.url}/api/v1/health/ready`)).status, { timeout: 20_000 })
      .toBe(200);
    expect(service.output()).not.toContain('Local admin created');
  }, 90_000);
});
