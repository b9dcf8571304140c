import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

/**
 * A real PgBouncer in transaction mode in front of the test PostgreSQL, like the CloudNativePG Pooler in
 * clusters. PgBouncer refuses to run as root, so it runs as the `postgres` user when we are root.
 */
export async function startPgBouncer(options: { poolSize?: number } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pgbouncer-'));
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      '* = host=127.0.0.1 port=5432',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 2}`,
      'max_client_conn = 200',
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  const command = ['pgbouncer', '-d', join(dir, 'pgbouncer.ini')];
  const asRoot = process.getuid?.() === 0;
  const launch = async () => {
    execFileSync(
      asRoot ? 'su' : command[0]!,
      asRoot ? ['postgres', '-s', '/bin/sh', '-c', command.join(' ')] : command.slice(1),
    );
    await waitForPort(port);
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      const pid = Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8'));
      process.kill(pid, name);
      return pid;
    } catch {
      return undefined; // already gone
    }
  };
  await launch();
  return {
    port,
    /** The URL of a database on the test server, as seen through this PgBouncer. */
    urlFor: (databaseUrl: string) => {
      const url = new URL(databaseUrl);
      url.port = String(port);
      return url.toString();
    },
    stop: () => {
      signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    /** Shuts it down at once (every client and server connection dropped) and waits until it has exited. */
    kill: async () => {
      const pid = signal('SIGTERM');
      while (pid !== undefined && isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    /** Starts it again after `kill`, on the same port with the same settings. */
    start: launch,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
