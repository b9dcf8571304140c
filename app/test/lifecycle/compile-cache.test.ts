import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/databases.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { testEnv } from '../support/test-app.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const warmUp = (env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/warm-compile-cache.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, APP_ENV: 'dev', ...env },
  });

// What Node's compile cache says of each module it compiles, with NODE_DEBUG_NATIVE=COMPILE_CACHE.
const fromCache = / was accepted, keeping the in-memory entry/g;
const compiled = / was (not initialized|rejected)/g;

describe('the module compile cache the image carries (cli/warm-compile-cache)', () => {
  const cache = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  let service: ServiceProcess | undefined;
  afterAll(() => {
    service?.child.kill('SIGKILL');
    rmSync(cache, { recursive: true, force: true });
  });

  it('refuses to run with no cache to fill, and says why', async () => {
    const run = warmUp({});
    await expect(run).rejects.toMatchObject({ code: 64 });
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('NODE_COMPILE_CACHE') });
  });

  it('fills a cache from which a real start of the service reads nearly every module instead of compiling it', async () => {
    const { stdout } = await warmUp({ NODE_COMPILE_CACHE: cache });
    expect(stdout).toMatch(/compile cache: \d+ imports of the API and the worker loaded/);

    const database = await createTestDatabase();
    service = await startServiceProcess(
      testEnv({ DATABASE_URL: database.url, NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' }),
    );
    await expect
      .poll(async () => (await fetch(`${service!.url}/api/v1/health/ready`)).status, { timeout: 20_000 })
      .toBe(200);
    const output = service.output();
    const read = output.match(fromCache)?.length ?? 0;
    const made = output.match(compiled)?.length ?? 0;
    expect(read).toBeGreaterThan(500);
    expect(made / (read + made)).toBeLessThan(0.05);
  }, 60_000);
});
