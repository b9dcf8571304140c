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
  execFileSync(
    asRoot ? 'su' : command[0]!,
    asRoot ? ['postgres', '-s', '/bin/sh', '-c', command.join(' ')] : command.slice(1),
  );
  await waitForPort(port);
  return {
    port,
    /** The URL of a database on the test server, as seen through this PgBouncer. */
    urlFor: (databaseUrl: string) => {
      const url = new URL(databaseUrl);
      url.port = String(port);
      return url.toString();
    },
    stop: () => {
      const pid = Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8'));
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
