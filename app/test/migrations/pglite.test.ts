import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  pgliteMigrationTarget,
  readMigrationFiles,
} from '../../src/adapters/db/migrations/index.js';

// The local tier's embedded database migrates at start with the same files and the same history table.
describe('applyMigrations over PGlite', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('applies the same migrations, records them, and a restart applies nothing', async () => {
    const files = await readMigrationFiles();
    const target = pgliteMigrationTarget(pglite);

    expect(await applyMigrations(target)).toEqual(files.map((file) => file.name));
    expect(await applyMigrations(target)).toEqual([]);

    const rows = await pglite.query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
    }>('SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY started_at');
    expect(rows.rows).toEqual(
      files.map((file) => ({ migration_name: file.name, checksum: file.checksum, applied_steps_count: 1 })),
    );
    const tables = await pglite.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(tables.rows.map((row) => row.tablename)).toEqual([
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
    ]);
  });

  it('keeps the audit log append-only there too', async () => {
    await applyMigrations(pgliteMigrationTarget(pglite));
    await pglite.query(`INSERT INTO audit_logs (action, outcome) VALUES ('user.login', 'SUCCESS')`);

    await expect(pglite.query(`UPDATE audit_logs SET action = 'x'`)).rejects.toThrow(
      'audit_logs is append-only: UPDATE refused',
    );
    await expect(pglite.query('DELETE FROM audit_logs')).rejects.toThrow(
      'audit_logs is append-only: DELETE refused',
    );
  });
});
