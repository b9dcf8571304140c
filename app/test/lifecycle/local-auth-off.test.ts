import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLogLines } from '../support/log-capture.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';

// `AUTH_ENABLED=false npm start`: main's own wiring, on the embedded database, without a token anywhere.
describe('npm start with authentication off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-auth-off-'));
  let service: ServiceProcess | undefined;
  afterAll(() => {
    service?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns at start and serves protected and admin routes as the seeded admin', async () => {
    service = await startServiceProcess({
      PGLITE_DIR: join(dir, 'pglite'),
      JWT_KEYS_FILE: join(dir, 'jwt-keys.json'),
      LOG_FORMAT: 'json',
      AUTH_ENABLED: 'false',
    });
    await expect
      .poll(async () => (await fetch(`${service!.url}/api/v1/health/ready`)).status, { timeout: 20_000 })
      .toBe(200);
    const me = await fetch(`${service.url}/api/v1/users/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'admin@example.com', role: 'ADMIN' });
    expect((await fetch(`${service.url}/api/v1/audit`)).status).toBe(200);
    // The log stream is batched (flushed every 250 ms or 4 KiB): on a loaded machine the line can trail the requests.
    const authOffWarning = () =>
      jsonLogLines(service!.output()).find((line) => String(line.msg).startsWith('authentication is off'));
    await expect
      .poll(authOffWarning, { timeout: 10_000 })
      .toMatchObject({ level: 40, actingAs: 'admin@example.com', role: 'ADMIN' });
  }, 90_000);
});
