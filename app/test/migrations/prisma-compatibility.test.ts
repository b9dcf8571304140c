import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { readMigrationList } from '../../src/adapters/db/migrations/authoring/migration-list.js';
import {
  pgSchemaEngineFactory,
  serverConfig,
} from '../../src/adapters/db/migrations/authoring/pg-adapter-factory.js';
import {
  openSchemaEngine,
  type SchemaEngine,
} from '../../src/adapters/db/migrations/authoring/schema-engine.js';
import {
  applyMigrations,
  defaultMigrationsDir,
  pgMigrationTarget,
} from '../../src/adapters/db/migrations/index.js';
import { createTestDatabase } from '../support/databases.js';

const schemaPath = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
const noFilters = { externalTables: [], externalEnums: [] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Prisma's schema engine (the WASM build of what `prisma migrate` runs) on the given database. */
async function prismaEngine(url: string): Promise<SchemaEngine & { close(): Promise<void> }> {
  const factory = pgSchemaEngineFactory(serverConfig(url));
  const engine = await openSchemaEngine(factory, {
    path: schemaPath,
    content: await readFile(schemaPath, 'utf8'),
  });
  let open = true;
  const close = async () => {
    if (open) engine.free();
    open = false;
    await factory.close();
  };
  cleanups.push(close);
  return Object.assign(engine, { close });
}

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

const historyTableShape = `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
  FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`;
const historyRows = `SELECT migration_name, checksum, applied_steps_count, logs, rolled_back_at,
  finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name`;

describe("Prisma's own migration engine and this runner share one history", () => {
  it('Prisma reads a history written by this runner as complete, unedited and without failures', async () => {
    const ours = await createTestDatabase();
    cleanups.push(ours.drop);
    const engine = await prismaEngine(ours.url);

    const diagnostic = await engine.diagnoseMigrationHistory({
      migrationsList: await readMigrationList(defaultMigrationsDir),
      optInToShadowDatabase: false,
      filters: noFilters,
    });

    expect(diagnostic).toEqual({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
  });

  it('Prisma applying the same folder writes the same table and the same rows, which this runner accepts', async () => {
    const ours = await createTestDatabase();
    const theirs = await createTestDatabase({ migrate: false });
    cleanups.push(ours.drop, theirs.drop);
    const engine = await prismaEngine(theirs.url);

    await engine.applyMigrations({
      migrationsList: await readMigrationList(defaultMigrationsDir),
      filters: noFilters,
    });

    expect(await query(ours.url, historyTableShape)).toEqual(await query(theirs.url, historyTableShape));
    expect(await query(ours.url, historyRows)).toEqual(await query(theirs.url, historyRows));
    // Prisma holds its session advisory lock (the key this runner shares) until its connection closes.
    await engine.close();
    const target = pgMigrationTarget(theirs.url);
    cleanups.push(() => target.close());
    expect(await applyMigrations(target)).toEqual([]);
  });
});
