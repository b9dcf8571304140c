import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { freePort, waitForPort } from '../test/support/ports.js';

export interface Server {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Resident set size of the process now, in MB (Linux /proc). */
  rssMb(): number;
  /** CPU time the process has used so far, user and system, in µs (Linux /proc). */
  cpuMicros(): number;
  stop(): Promise<void>;
}

/** Resident memory of a process in MB, from /proc (NaN where that does not exist). */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU time a process has used so far (user + system), in µs, from /proc/<pid>/stat (NaN where that does not exist). */
export function cpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis start at stat(5)'s third,
    // so utime (14th) and stime (15th) are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
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
    pid: child.pid!,
    rssMb: () => rssMb(child.pid!),
    cpuMicros: () => cpuMicros(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface ColdStart {
  /** Spawn to the first 200 from the readiness endpoint. */
  readonly readyMs: number;
  /** The phases the service names in its "listening" line (ms since its process started), when it logged one. */
  readonly phases: Readonly<Record<string, number>>;
}

/** The `startupMs` of the first JSON line that has one, in what a process printed. */
function startupPhasesIn(output: string): Record<string, number> | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('"startupMs"')) continue;
    try {
      return (JSON.parse(line) as { startupMs: Record<string, number> }).startupMs;
    } catch {
      // a line cut by the pipe's chunking: the next chunk completes it
    }
  }
  return undefined;
}

/**
 * From spawning the service to its first 200 from the readiness endpoint: process start, module loading,
 * configuration, connections, listening; and the phases the service reports in its "listening" line. The
 * process is stopped afterwards.
 */
export async function coldStart(
  args: string[],
  env: Record<string, string>,
  readyPath: string,
): Promise<ColdStart> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    const deadline = started + 30_000;
    while (performance.now() < deadline) {
      const ready = await fetch(`http://127.0.0.1:${port}${readyPath}`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) {
        const readyMs = performance.now() - started;
        // Log lines leave in batches, at most 250 ms after they are written.
        for (let waited = 0; !startupPhasesIn(output) && waited < 1_000; waited += 50) await sleep(50);
        return { readyMs, phases: startupPhasesIn(output) ?? {} };
      }
      await sleep(10);
    }
    throw new Error('the service did not become ready within 30 s');
  } finally {
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
}
