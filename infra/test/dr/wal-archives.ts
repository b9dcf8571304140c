import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { freePort } from '../../src/dr/free-port.js';
import type { LocalServer, Workspace } from './local-postgres.js';

/**
 * Where a test server's WAL and base backup go, and how a restore reads them back: the archive_command and
 * restore_command the server runs, the base backup it takes, and the copy of it a restored server starts from.
 */
export interface WalArchive {
  readonly name: string;
  readonly archiveCommand: string;
  readonly restoreCommand: string;
  baseBackup(server: LocalServer): Promise<void>;
  /** Fills an empty data directory with the base backup. */
  restoreBase(dataDir: string): Promise<void>;
  close(): Promise<void>;
}

/** A directory, with cp as the PostgreSQL manual's continuous-archiving chapter shows, and pg_basebackup. */
export async function directoryArchive(ws: Workspace): Promise<WalArchive> {
  const dir = await ws.dir('archive');
  const base = join(ws.root, 'base');
  return {
    name: 'a local directory (archive_command cp, pg_basebackup)',
    archiveCommand: `test ! -f ${dir}/%f && cp %p ${dir}/%f`,
    restoreCommand: `cp ${dir}/%f %p`,
    async baseBackup(server) {
      await ws.run('pg_basebackup', [
        ...['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres'],
        ...['-D', base, '--checkpoint=fast', '--no-sync'],
      ]);
    },
    async restoreBase(dataDir) {
      await ws.run('/bin/cp', ['-a', base, dataDir]);
    },
    async close() {},
  };
}

const barmanCommands = [
  'barman-cloud-wal-archive',
  'barman-cloud-wal-restore',
  'barman-cloud-backup',
  'barman-cloud-backup-list',
  'barman-cloud-restore',
];

/** Why the Barman Cloud archive cannot run here, or undefined when it can. */
export function barmanCloudUnavailable(): string | undefined {
  for (const command of barmanCommands) {
    try {
      execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    } catch {
      return `${command} not found (Debian: apt-get install barman-cli-cloud)`;
    }
  }
  return undefined;
}

/**
 * The tools the Barman Cloud plugin runs in the instance pods (barman-cloud-wal-archive, -wal-restore, -backup,
 * -restore; Debian's barman-cli-cloud) against an S3 API, here s3rver on a free local port. The bucket and
 * folder are the platform's own shape: s3://<bucket>/ with the cluster's serverName below it.
 */
export async function barmanCloudArchive(ws: Workspace, serverName: string): Promise<WalArchive> {
  const port = await freePort();
  const bucket = 'platform-db-backups-test';
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const store = await ws.dir('s3');
  const s3: ChildProcess = spawn(
    process.execPath,
    [bin, '-d', store, '-a', '127.0.0.1', '-p', String(port), '--configure-bucket', bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    s3.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    s3.once('error', reject);
    s3.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  // s3rver's fixed credentials; barman-cloud reads them from the environment like the plugin's sidecar does.
  ws.env = {
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_DEFAULT_REGION: 'us-east-1',
    HOME: ws.root,
  };
  const target = ['--endpoint-url', `http://127.0.0.1:${port}`, `s3://${bucket}/`, serverName];
  const quoted = target.join(' ');
  return {
    name: `an S3 bucket through barman-cloud (s3rver at ${bucket})`,
    archiveCommand: `barman-cloud-wal-archive --gzip ${quoted} %p`,
    restoreCommand: `barman-cloud-wal-restore ${quoted} %f %p`,
    async baseBackup(server) {
      await ws.run('/usr/bin/env', [
        'barman-cloud-backup',
        '--gzip',
        // Otherwise the backup waits for a spread checkpoint: minutes with the default checkpoint_timeout.
        '--immediate-checkpoint',
        ...['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres'],
        ...target,
      ]);
    },
    async restoreBase(dataDir) {
      // Debian's barman 3.4 knows no `latest` alias: take the newest id from the catalogue.
      const listing = await ws.run('/usr/bin/env', [
        'barman-cloud-backup-list',
        '--format',
        'json',
        ...target,
      ]);
      const backups = (JSON.parse(listing) as { backups_list: { backup_id: string }[] }).backups_list;
      const newest = backups
        .map((backup) => backup.backup_id)
        .sort()
        .at(-1);
      if (!newest) throw new Error(`no base backup under ${quoted}`);
      await ws.run('/usr/bin/env', ['barman-cloud-restore', ...target, newest, dataDir]);
    },
    async close() {
      s3.kill();
    },
  };
}
