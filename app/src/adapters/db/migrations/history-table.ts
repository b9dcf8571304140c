import type { MigrationSql } from './migration-target.js';

// Prisma's own DDL for its history table (schema engine, PostgreSQL flavour), so `prisma migrate status`
// and `prisma migrate deploy` read what this runner writes.
const createTable = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface AppliedMigration {
  name: string;
  checksum: string;
  finished: boolean;
}

export async function ensureHistoryTable(sql: MigrationSql): Promise<void> {
  await sql.exec(createTable);
}

/** Rows Prisma still counts: a row marked rolled back (`prisma migrate resolve --rolled-back`) is history only. */
export async function readHistory(sql: MigrationSql): Promise<AppliedMigration[]> {
  const rows = await sql.query<{ migration_name: string; checksum: string; finished: boolean }>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished
       FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return rows.map((row) => ({ name: row.migration_name, checksum: row.checksum, finished: row.finished }));
}

/** Opens a row the way Prisma does before running the script, and returns its id. */
export async function recordStarted(sql: MigrationSql, name: string, checksum: string): Promise<string> {
  const id = crypto.randomUUID();
  // clock_timestamp(), not now(): inside one transaction now() would give every migration the same instant.
  await sql.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, clock_timestamp(), 0)`,
    [id, checksum, name],
  );
  return id;
}

/** Prisma runs a PostgreSQL migration as one step, then stamps it finished. */
export async function recordFinished(sql: MigrationSql, id: string): Promise<void> {
  await sql.query(
    `UPDATE _prisma_migrations SET applied_steps_count = 1, finished_at = clock_timestamp() WHERE id = $1`,
    [id],
  );
}
