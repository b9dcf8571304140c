import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './ports.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  exited(): Promise<number | null>;
}

/**
 * The service (or the worker: pass its entry and port variable) as its own OS process through tsx, so signals
 * and exit codes are real.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  process_: { entry: string; portVariable: string } = { entry: 'src/main.ts', portVariable: 'PORT' },
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', process_.entry], {
    cwd: appDir,
    env: { PATH: process.env.PATH, ...env, [process_.portVariable]: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForPort(port, 30_000),
    exit.then((code) => {
      throw new Error(`service exited with ${code} before listening:\n${output}`);
    }),
  ]);
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, exited: () => exit };
}
