import { execFile as execFileCb } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMigrationNames } from '../../src/dr/app-schema.js';
import { type RecoveryObjectives, recoveryObjectives } from '../../src/dr/recovery-objectives.js';
import { type VerificationReport, verifyRestoredDatabase } from '../../src/dr/verify-restore.js';
import { archivingServer, type LocalServer, restoredServer, Workspace } from './local-postgres.js';
import {
  barmanCloudArchive,
  barmanCloudUnavailable,
  directoryArchive,
  type WalArchive,
} from './wal-archives.js';

const execFile = promisify(execFileCb);
const repoRoot = new URL('../../../', import.meta.url).pathname;
const database = 'app';

/**
 * The restore the drill runs in a cluster, here on real PostgreSQL: a server archiving its WAL, the service's
 * schema applied by its own migration command, a base backup, writes before and after a target time, then a
 * second server restored from the base backup plus the archive up to that time, checked by the drill's
 * verification. Twice: through barman-cloud to an S3 API (the tools the Barman Cloud plugin runs, where
 * Debian's barman-cli-cloud is installed), and through a local directory (cp and pg_basebackup, no extra
 * package), which checks the verification wherever PostgreSQL is.
 */
async function connect(server: LocalServer): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: server.url(database) });
  await client.connect();
  return client;
}

/** Writes the way the service does: a user, their item, its outbox event and an audit entry, tagged by batch. */
async function writeBatch(db: pg.Client, batch: string, rows: number): Promise<void> {
  for (let i = 0; i < rows; i++) {
    await db.query(
      `WITH u AS (
         INSERT INTO users (id, email, password_hash, full_name, updated_at)
         VALUES (gen_random_uuid(), $1, 'argon2id-placeholder', $2, now()) RETURNING id),
       i AS (
         INSERT INTO items (id, title, owner_id, updated_at) SELECT gen_random_uuid(), $2, id, now() FROM u RETURNING id),
       o AS (
         INSERT INTO outbox_events (type, aggregate_id, payload) SELECT 'ItemCreated', id::text, '{}'::jsonb FROM i)
       INSERT INTO audit_logs (actor_id, action, target, outcome, request_id)
       SELECT id, 'user.registered', $2, 'SUCCESS', $3 FROM u`,
      [`${batch}-${i}@example.com`, `${batch}-${i}`, `${batch}-req-${i}`],
    );
  }
}

async function batchCounts(db: pg.Client): Promise<Record<string, number>> {
  const { rows } = await db.query<{ batch: string; n: string }>(
    `SELECT split_part(target, '-', 1) AS batch, count(*)::text AS n FROM audit_logs GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((row) => [row.batch, Number(row.n)]));
}

/** Forces the current WAL segment into the archive and waits until the archiver reports it copied. */
async function archiveCurrentWal(db: pg.Client): Promise<void> {
  const { rows } = await db.query<{ segment: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS segment');
  const segment = rows[0]!.segment;
  for (let i = 0; i < 300; i++) {
    const { rows: stat } = await db.query<{ last: string | null; failed: string | null }>(
      'SELECT last_archived_wal AS last, last_failed_wal AS failed FROM pg_stat_archiver',
    );
    if (stat[0]?.last && stat[0].last >= segment) return;
    await sleep(100);
  }
  throw new Error(`segment ${segment} never reached the archive`);
}

const known = appMigrationNames();
const failing = (r: VerificationReport) => r.checks.filter((check) => !check.ok).map((check) => check.name);

const barmanMissing = barmanCloudUnavailable();
const archives: [string, (ws: Workspace) => Promise<WalArchive>, string | undefined][] = [
  ['barman-cloud to S3', (ws) => barmanCloudArchive(ws, 'platform-db'), barmanMissing],
  ['a local directory', directoryArchive, undefined],
];

describe.each(archives)('restore to a point in time from %s (real PostgreSQL)', (_, openArchive, missing) => {
  let ws: Workspace | undefined;
  let archive: WalArchive | undefined;
  const servers: LocalServer[] = [];
  let restored: pg.Client | undefined;
  let report: VerificationReport;
  let objectives: RecoveryObjectives;
  let targetTime: Date;
  let counts: Record<string, number>;

  beforeAll(async () => {
    if (missing) return;
    ws = await Workspace.create('restore-drill-');
    archive = await openArchive(ws);
    const primary = await archivingServer(ws, 'primary', archive.archiveCommand);
    servers.push(primary);
    await primary.start();
    await ws.run('createdb', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', database]);
    // The service's own migration command, as the per-release Job runs it: _prisma_migrations as Prisma writes it.
    await execFile('npm', ['run', 'db:migrate', '-w', 'app'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_DIRECT_URL: primary.url(database), VAULT_ADDR: '' },
      timeout: 120_000,
    });

    const source = await connect(primary);
    try {
      await writeBatch(source, 'before', 5);
      await archive.baseBackup(primary);
      await writeBatch(source, 'replayed', 5);
      // The instant to restore to, read off the server's clock after those commits; later writes must not return.
      // A JavaScript Date keeps milliseconds only: wait past the last commit's millisecond before reading it.
      await sleep(20);
      targetTime = (await source.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;
      await sleep(50);
      await writeBatch(source, 'after', 5);
      await archiveCurrentWal(source);
    } finally {
      await source.end();
    }
    await primary.stop();

    const startedAt = new Date();
    const target = await restoredServer(ws, 'restored', archive, targetTime);
    servers.push(target);
    await target.start();
    restored = await connect(target);
    for (let i = 0; i < 600; i++) {
      const { rows } = await restored.query<{ recovering: boolean }>(
        'SELECT pg_is_in_recovery() AS recovering',
      );
      if (!rows[0]?.recovering) break;
      await sleep(100);
    }
    const readyAt = new Date();
    report = await verifyRestoredDatabase(restored, { knownMigrations: known, notAfter: targetTime });
    objectives = recoveryObjectives({
      targetTime,
      lastRestoredCommit: report.lastReplayedCommit,
      startedAt,
      readyAt,
    });
    counts = await batchCounts(restored);
  }, 300_000);

  afterAll(async () => {
    await restored?.end().catch(() => undefined);
    for (const server of servers) await server.stop();
    await archive?.close();
    if (!process.env.KEEP_DRILL_DIR) await ws?.remove();
  });

  /** Runs `plant` inside a transaction on the restored server, verifies there, and rolls the defect back. */
  async function verifyWithDefect(plant: string, options: { notAfter?: Date } = {}) {
    const db = restored as pg.Client;
    await db.query('BEGIN');
    try {
      await db.query(plant);
      return await verifyRestoredDatabase(db, { knownMigrations: known, ...options });
    } finally {
      await db.query('ROLLBACK');
    }
  }

  describe.skipIf(missing !== undefined)(missing ?? 'the restore', () => {
    it('brings back every write before the target and none after it', () => {
      expect(counts).toEqual({ before: 5, replayed: 5 });
    });

    it('the verification passes: migrations complete, tables there, audit trail append-only and chained', () => {
      expect(failing(report), JSON.stringify(report.checks, null, 2)).toEqual([]);
      expect(report.latestMigration).toBe(known.at(-1));
      expect(report.rowCounts).toMatchObject({ users: 10, items: 10, audit_logs: 10, outbox_events: 10 });
    });

    it('measures RPO against the last restored commit, and RTO', () => {
      console.log(
        `restore (${archive?.name}): target ${objectives.targetTime.toISOString()}, last restored commit ` +
          `${objectives.lastRestoredCommit?.toISOString()}, RPO ${objectives.rpoSeconds}s, RTO ${objectives.rtoSeconds}s`,
      );
      expect(objectives.lastRestoredCommit).not.toBeNull();
      expect(objectives.lastRestoredCommit!.getTime()).toBeLessThanOrEqual(targetTime.getTime());
      // The last batch before the target committed moments before it was read.
      expect(objectives.rpoSeconds).toBeLessThan(5);
      expect(objectives.rtoSeconds).toBeGreaterThan(0);
    });
  });

  describe.skipIf(missing !== undefined)('the verification fails on each defect it guards against', () => {
    it('a tampered audit entry (its guard disabled to rewrite it)', async () => {
      const r = await verifyWithDefect(
        `ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only_rows;
         UPDATE audit_logs SET outcome = 'FAILURE' WHERE id = 1;`,
      );
      expect(failing(r)).toEqual(['audit trail: append-only triggers', 'audit trail: hash chain intact']);
    });

    it('a rewritten audit entry with its guard back on (only the chain shows it)', async () => {
      const r = await verifyWithDefect(
        `ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only_rows;
         UPDATE audit_logs SET outcome = 'FAILURE' WHERE id = 2;
         ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_append_only_rows;`,
      );
      expect(failing(r)).toEqual(['audit trail: hash chain intact']);
      expect(r.checks.find((c) => c.name === 'audit trail: hash chain intact')?.detail).toBe(
        '1 entries whose content no longer matches their hash',
      );
    });

    it('an audit entry removed from the middle of the chain', async () => {
      const r = await verifyWithDefect(
        `ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only_rows;
         DELETE FROM audit_logs WHERE chain_seq = 3;
         ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_append_only_rows;`,
      );
      expect(failing(r)).toEqual(['audit trail: hash chain intact']);
    });

    it('entries removed by retention still verify: each run of them is checkpointed', async () => {
      const r = await verifyWithDefect(`SELECT audit_logs_purge_before(now() + interval '1 second', 3)`);
      expect(failing(r)).toEqual([]);
      expect(r.checks.find((c) => c.name === 'audit trail: hash chain intact')?.detail).toMatch(
        /; 3 removed by retention, checkpointed$/,
      );
    });

    it("an entry removed through the purge's way past the guard, without its checkpoint", async () => {
      const r = await verifyWithDefect(
        `SELECT set_config('audit_logs.purge_cutoff', 'infinity', true);
         DELETE FROM audit_logs WHERE chain_seq = 3;`,
      );
      expect(failing(r)).toEqual(['audit trail: hash chain intact']);
    });

    it('a checkpoint rewritten so it no longer links the entries either side of it', async () => {
      const r = await verifyWithDefect(
        `SELECT audit_logs_purge_before(now() + interval '1 second', 3);
         ALTER TABLE audit_log_checkpoints DISABLE TRIGGER audit_log_checkpoints_append_only_rows;
         UPDATE audit_log_checkpoints SET last_hash = sha256('forged');
         ALTER TABLE audit_log_checkpoints ENABLE TRIGGER audit_log_checkpoints_append_only_rows;`,
      );
      expect(failing(r)).toEqual(['audit trail: hash chain intact']);
    });

    it('an entry written with the chain trigger disabled', async () => {
      const r = await verifyWithDefect(
        `ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_chain;
         INSERT INTO audit_logs (action, outcome) VALUES ('login', 'SUCCESS');`,
      );
      expect(failing(r)).toEqual(['audit trail: hash chain intact']);
    });

    it('a guard rewritten to let changes through', async () => {
      const r = await verifyWithDefect(
        `CREATE OR REPLACE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RETURN NEW; END $$;`,
      );
      expect(failing(r)).toEqual(['audit trail: append-only triggers']);
    });

    it('the runtime role granted UPDATE on the audit log', async () => {
      const r = await verifyWithDefect('GRANT UPDATE ON audit_logs TO platform_api_runtime');
      expect(failing(r)).toEqual(['audit trail: runtime role cannot rewrite it']);
    });

    it('a migration missing from the history', async () => {
      const r = await verifyWithDefect(`DELETE FROM _prisma_migrations WHERE migration_name = '${known[1]}'`);
      expect(failing(r)).toEqual(['migrations: history complete']);
    });

    it('a failed migration (started, never finished)', async () => {
      const r = await verifyWithDefect(
        `UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${known.at(-1)}'`,
      );
      expect(failing(r)).toContain('migrations: none failed');
    });

    it('a table gone', async () => {
      const r = await verifyWithDefect('DROP TABLE notifications');
      expect(failing(r)).toEqual(['tables: all present']);
    });

    it('rows newer than the target (the restore overshot it)', async () => {
      const r = await verifyWithDefect('SELECT 1', { notAfter: new Date(targetTime.getTime() - 60_000) });
      expect(failing(r)).toEqual(['point in time: nothing newer than the target']);
    });

    it('the id sequence behind the newest entry', async () => {
      const r = await verifyWithDefect(`SELECT setval('audit_logs_id_seq', 1)`);
      // setval is not transactional: put the sequence back for the next tests.
      await (restored as pg.Client).query(
        `SELECT setval('audit_logs_id_seq', (SELECT max(id) FROM audit_logs))`,
      );
      expect(failing(r)).toEqual(['audit trail: ids continue after the newest entry']);
    });
  });
});
