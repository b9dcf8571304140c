import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jsonLogLines } from '../support/log-capture.js';
import { freePort, waitForPort } from '../support/ports.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The service as developers and the dev image start it: its own process, sources through tsx, the telemetry
 * bootstrap loaded first with `--import`. Resolves once it listens; `stop()` sends SIGTERM and waits for exit.
 */
export async function startTracedService(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './src/telemetry.ts', 'src/main.ts'],
    {
      cwd: appDir,
      env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForPort(port, 30_000),
    exited.then((code) => {
      throw new Error(`service exited with ${code} before listening:\n${stdout}\n${stderr}`);
    }),
  ]);
  return {
    url: `http://127.0.0.1:${port}`,
    /** Every JSON line the service wrote to stdout. */
    logLines: () => jsonLogLines(stdout),
    output: () => `${stdout}\n${stderr}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
