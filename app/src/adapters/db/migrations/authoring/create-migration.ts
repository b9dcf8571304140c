import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyMigrations } from '../apply-migrations.js';
import { pgMigrationTarget } from '../pg-target.js';
import { lockfileContent, lockfileName, readMigrationList } from './migration-list.js';
import {
  createDatabase,
  dropDatabase,
  pgSchemaEngineFactory,
  type ServerConfig,
  temporaryDatabaseName,
} from './pg-adapter-factory.js';
import { openSchemaEngine } from './schema-engine.js';

export interface CreateMigrationOptions {
  /** Any database on a PostgreSQL server where temporary databases may be created (never through a pooler). */
  server: ServerConfig;
  schemaPath: string;
  migrationsDir: string;
  name: string;
}

const noFilters = { externalTables: [], externalEnums: [] };

// The runner wraps each run in its own transaction; the engine wraps some steps (enum rewrites) in BEGIN/COMMIT,
// which would end that transaction and its lock early.
const transactionControl = /^\s*(BEGIN|COMMIT)\s*;\s*\n?/gim;

/**
 * Diffs schema.prisma against the migration history (replayed in a shadow database) and writes the next
 * `<timestamp>_<name>/migration.sql`. Returns the folder name, or null when the schema has no change.
 * Works on throwaway databases only: the engine's own database and its shadow are created and dropped here.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<string | null> {
  const schema = { path: options.schemaPath, content: await readFile(options.schemaPath, 'utf8') };
  const scratch = { ...options.server, database: temporaryDatabaseName('author') };
  await createDatabase(options.server, scratch.database);
  const factory = pgSchemaEngineFactory(scratch);
  try {
    await migrate(scratch, options.migrationsDir);
    const engine = await openSchemaEngine(factory, schema);
    try {
      const migrationsList = await readMigrationList(options.migrationsDir);
      // createMigration reads the history's schema from a cache that only devDiagnostic fills (replaying the
      // history in a shadow database), and devDiagnostic only does so for a database that is up to date.
      const diagnostic = await engine.devDiagnostic({ migrationsList, filters: noFilters });
      if (diagnostic.action.tag === 'reset')
        throw new Error(`migration history is inconsistent: ${diagnostic.action.reason}`);
      const created = await engine.createMigration({
        draft: false,
        migrationName: options.name,
        migrationsList,
        schema: { files: [schema] },
        filters: noFilters,
      });
      if (created.migrationScript === null) return null;
      await writeMigration(options.migrationsDir, created.generatedMigrationName, created.migrationScript);
      return created.generatedMigrationName;
    } finally {
      engine.free();
    }
  } finally {
    await factory.close();
    await dropDatabase(options.server, scratch.database);
  }
}

async function migrate(server: ServerConfig, migrationsDir: string): Promise<void> {
  const target = pgMigrationTarget(server);
  try {
    await applyMigrations(target, { migrationsDir });
  } finally {
    await target.close();
  }
}

async function writeMigration(migrationsDir: string, folder: string, script: string): Promise<void> {
  await mkdir(join(migrationsDir, folder), { recursive: true });
  await writeFile(join(migrationsDir, folder, 'migration.sql'), script.replaceAll(transactionControl, ''));
  const lockfile = join(migrationsDir, lockfileName);
  if (!existsSync(lockfile)) await writeFile(lockfile, lockfileContent);
}
