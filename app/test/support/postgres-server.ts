import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

/** Where the PostgreSQL server binaries live: PG_BIN_DIR, else what pg_config reports. */
function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

/** Runs a PostgreSQL tool as the `postgres` OS user when we are root (the server refuses to run as root). */
function runAsPostgres(binary: string, args: string[]): void {
  const command = [join(binDir(), binary), ...args];
  if (process.getuid?.() !== 0) {
    execFileSync(command[0]!, command.slice(1), { stdio: 'ignore' });
    return;
  }
  const quoted = command.map((part) => `'${part.replaceAll("'", `'\\''`)}'`).join(' ');
  execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'ignore' });
}

export interface PostgresServer {
  readonly port: number;
  /** Superuser URL of a database on this server (trust auth). */
  urlFor(database: string): string;
  /** Stops the server the way a crash or a failover does: every connection is dropped at once. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (initdb in a temp dir, a spare port), so a test can take the database
 * down and bring it back without touching the shared server other tests use.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'postgres-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  runAsPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  let running = false;
  const start = async () => {
    runAsPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
    running = true;
    await waitForPort(port);
  };
  const kill = async () => {
    if (!running) return;
    runAsPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    running = false;
  };
  await start();
  return {
    port,
    urlFor: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    kill,
    start,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
