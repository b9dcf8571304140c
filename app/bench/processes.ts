import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { freePort, waitForPort } from '../test/support/ports.js';

export interface Server {
  readonly name: string;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts a server in its own process (so it gets its own event loop) and waits until it accepts. */
export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  logFile = '/dev/null',
): Promise<Server> {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  await waitForPort(port, 30_000);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
