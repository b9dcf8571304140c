import {
  MigrationChecksumMismatch,
  MigrationControlsTransaction,
  MigrationFailed,
  UnresolvedFailedMigration,
} from './errors.js';
import {
  type AppliedMigration,
  ensureHistoryTable,
  readHistory,
  recordFinished,
  recordStarted,
} from './history-table.js';
import {
  defaultMigrationsDir,
  type MigrationFile,
  matchesChecksum,
  readMigrationFiles,
} from './migration-files.js';
import type { MigrationTarget } from './migration-target.js';

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (message: string) => void;
}

// Prisma's own advisory lock key: our transaction lock and the session lock of `prisma migrate deploy` share
// one lock space, so this runner and Prisma's CLI also queue behind each other.
export const prismaAdvisoryLockKey = 72707369;

const transactionControl = /^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)\s*;/im;

/**
 * Applies the pending migrations in one transaction, under a transaction-scoped advisory lock taken before
 * anything else: concurrent runs queue, the second finds nothing left to do. A failing script rolls the whole
 * run back. Returns the names applied, in order.
 */
export async function applyMigrations(
  target: MigrationTarget,
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  const { migrationsDir = defaultMigrationsDir, log = () => undefined } = options;
  const files = await readMigrationFiles(migrationsDir);
  for (const file of files)
    if (transactionControl.test(file.script)) throw new MigrationControlsTransaction(file.name);

  return target.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [prismaAdvisoryLockKey]);
    await ensureHistoryTable(sql);
    const pending = pendingMigrations(files, await readHistory(sql), log);
    for (const migration of pending) {
      const id = await recordStarted(sql, migration.name, migration.checksum);
      try {
        await sql.exec(migration.script);
      } catch (error) {
        throw new MigrationFailed(migration.name, error);
      }
      await recordFinished(sql, id);
      log(`applied ${migration.name}`);
    }
    return pending.map((migration) => migration.name);
  });
}

function pendingMigrations(
  files: MigrationFile[],
  history: AppliedMigration[],
  log: (message: string) => void,
): MigrationFile[] {
  const unfinished = history.find((row) => !row.finished);
  if (unfinished) throw new UnresolvedFailedMigration(unfinished.name);

  const applied = new Map(history.map((row) => [row.name, row.checksum]));
  for (const file of files) {
    const checksum = applied.get(file.name);
    if (checksum !== undefined && !matchesChecksum(file.script, checksum))
      throw new MigrationChecksumMismatch(file.name);
  }
  // A newer release may have migrated already (e.g. while an older one rolls back): report, do not fail.
  const known = new Set(files.map((file) => file.name));
  for (const row of history)
    if (!known.has(row.name)) log(`applied in the database but not found here: ${row.name}`);

  return files.filter((file) => !applied.has(file.name));
}
