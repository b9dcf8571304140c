import { createHash } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  defaultMigrationsDir,
  MigrationChecksumMismatch,
  MigrationControlsTransaction,
  MigrationFailed,
  pgMigrationTarget,
  prismaAdvisoryLockKey,
  readMigrationFiles,
  UnresolvedFailedMigration,
} from '../../src/adapters/db/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { copyOfMigrations } from './migrations-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrate: false });
  cleanups.push(database.drop);
  return database;
}

async function migrate(url: string, migrationsDir = defaultMigrationsDir): Promise<string[]> {
  const target = pgMigrationTarget(url);
  try {
    return await applyMigrations(target, { migrationsDir });
  } finally {
    await target.close();
  }
}

async function query<Row>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Row[];
  } finally {
    await client.end();
  }
}

const historyRows = (url: string) =>
  query<{
    migration_name: string;
    checksum: string;
    applied_steps_count: number;
    finished: boolean;
    logs: null;
  }>(
    url,
    `SELECT migration_name, checksum, applied_steps_count, logs, finished_at >= started_at AS finished
       FROM _prisma_migrations ORDER BY started_at`,
  );

describe('applyMigrations over PostgreSQL', () => {
  it('applies every migration folder in order and returns their names', async () => {
    const { url } = await emptyDatabase();
    const names = (await readMigrationFiles()).map((file) => file.name);
    expect(names.length).toBeGreaterThan(0);

    expect(await migrate(url)).toEqual(names);
    const tables = await query<{ tablename: string }>(
      url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    expect(tables.map((row) => row.tablename).sort()).toEqual(
      [
        '_prisma_migrations',
        'api_keys',
        'audit_legal_holds',
        'audit_log_checkpoints',
        'audit_logs',
        'items',
        'notifications',
        'outbox_events',
        'processed_events',
        'retired_refresh_tokens',
        'sessions',
        'users',
      ].sort(),
    );
  });

  it('runs started at the same time queue on the lock: each migration is applied and recorded once', async () => {
    const { url } = await emptyDatabase();
    const names = (await readMigrationFiles()).map((file) => file.name);

    const runs = await Promise.all([migrate(url), migrate(url), migrate(url)]);

    expect(runs.flat().sort()).toEqual([...names].sort());
    expect(runs.filter((applied) => applied.length > 0)).toHaveLength(1);
    const rows = await historyRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
  });

  it("waits while `prisma migrate` holds Prisma's advisory lock, then applies", async () => {
    const { url } = await emptyDatabase();
    const prisma = new pg.Client({ connectionString: url });
    await prisma.connect();
    cleanups.push(() => prisma.end());
    await prisma.query('SELECT pg_advisory_lock($1)', [prismaAdvisoryLockKey]);

    let finished = false;
    const run = migrate(url).finally(() => {
      finished = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(finished).toBe(false);

    await prisma.query('SELECT pg_advisory_unlock($1)', [prismaAdvisoryLockKey]);
    expect((await run).length).toBeGreaterThan(0);
  });

  it('a second run finds nothing to do and changes nothing', async () => {
    const { url } = await emptyDatabase();
    await migrate(url);
    const before = await query(url, 'SELECT * FROM _prisma_migrations');

    expect(await migrate(url)).toEqual([]);
    expect(await query(url, 'SELECT * FROM _prisma_migrations')).toEqual(before);
  });

  it("records rows the way Prisma does: the file's sha256 as checksum, one finished step, no logs", async () => {
    const { url } = await emptyDatabase();
    await migrate(url);
    const files = await readMigrationFiles();

    const rows = await historyRows(url);
    expect(rows).toHaveLength(files.length);
    for (const [index, file] of files.entries()) {
      const bytes = await readFile(join(defaultMigrationsDir, file.name, 'migration.sql'));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(rows[index]).toEqual({
        migration_name: file.name,
        checksum: sha256,
        applied_steps_count: 1,
        logs: null,
        finished: true,
      });
    }
  });

  it('refuses to run when an applied migration was edited since, and applies nothing else', async () => {
    const { url } = await emptyDatabase();
    const migrations = await copyOfMigrations();
    cleanups.push(migrations.remove);
    await migrate(url, migrations.dir);
    const [first] = await readMigrationFiles(migrations.dir);
    if (!first) throw new Error('no migration to edit');
    await appendFile(join(migrations.dir, first.name, 'migration.sql'), '\n-- edited\n');
    await migrations.add('29990101000000_next', 'CREATE TABLE next_table (id int);');

    const run = migrate(url, migrations.dir);

    await expect(run).rejects.toBeInstanceOf(MigrationChecksumMismatch);
    await expect(run).rejects.toThrow(`migration ${first.name} was changed after it was applied`);
    expect(await query(url, "SELECT to_regclass('next_table') AS t")).toEqual([{ t: null }]);
  });

  it('accepts an applied migration whose line endings git converted, as Prisma does', async () => {
    const { url } = await emptyDatabase();
    const migrations = await copyOfMigrations();
    cleanups.push(migrations.remove);
    await migrate(url, migrations.dir);
    for (const file of await readMigrationFiles(migrations.dir)) {
      await writeFile(join(migrations.dir, file.name, 'migration.sql'), file.script.replaceAll('\n', '\r\n'));
    }

    expect(await migrate(url, migrations.dir)).toEqual([]);
  });

  it('a failing migration rolls back the whole run, records nothing and names the migration', async () => {
    const { url } = await emptyDatabase();
    const migrations = await copyOfMigrations();
    cleanups.push(migrations.remove);
    await migrations.add(
      '29990101000000_broken',
      'CREATE TABLE fine (id int);\nSELECT * FROM no_such_table;',
    );

    const run = migrate(url, migrations.dir);

    await expect(run).rejects.toBeInstanceOf(MigrationFailed);
    await expect(run).rejects.toThrow(
      /migration 29990101000000_broken failed, nothing was applied: .*no_such_table/,
    );
    const tables = await query<{ tablename: string }>(
      url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    expect(tables).toEqual([]);
  });

  it('refuses to run over a migration another tool left failed, and says how to resolve it', async () => {
    const { url } = await emptyDatabase();
    await migrate(url);
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (gen_random_uuid()::text, 'x', '29990101000000_half_done')`,
    );

    const run = migrate(url);

    await expect(run).rejects.toBeInstanceOf(UnresolvedFailedMigration);
    await expect(run).rejects.toThrow('prisma migrate resolve --rolled-back 29990101000000_half_done');
  });

  it('reports, without failing, migrations the database has but this release does not (a newer release ran)', async () => {
    const { url } = await emptyDatabase();
    const newer = await copyOfMigrations();
    cleanups.push(newer.remove);
    await newer.add('29990101000000_from_the_future', 'CREATE TABLE future (id int);');
    await migrate(url, newer.dir);
    const lines: string[] = [];

    const target = pgMigrationTarget(url);
    cleanups.push(() => target.close());
    expect(await applyMigrations(target, { log: (line) => lines.push(line) })).toEqual([]);
    expect(lines).toEqual(['applied in the database but not found here: 29990101000000_from_the_future']);
  });

  it('refuses a script that would end the run transaction (and its lock) early', async () => {
    const { url } = await emptyDatabase();
    const migrations = await copyOfMigrations();
    cleanups.push(migrations.remove);
    await migrations.add('29990101000000_commits', 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n');

    await expect(migrate(url, migrations.dir)).rejects.toBeInstanceOf(MigrationControlsTransaction);
    expect(await query(url, "SELECT to_regclass('_prisma_migrations') AS t")).toEqual([{ t: null }]);
  });
});
