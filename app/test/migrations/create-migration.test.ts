import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createMigration } from '../../src/adapters/db/migrations/authoring/create-migration.js';
import { serverConfig } from '../../src/adapters/db/migrations/authoring/pg-adapter-factory.js';
import { applyMigrations, pgMigrationTarget } from '../../src/adapters/db/migrations/index.js';
import { createTestDatabase, testServerUrl } from '../support/databases.js';
import { copyOfMigrations } from './migrations-dir.js';

const schemaPath = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
const server = serverConfig(testServerUrl);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function query(text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: testServerUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function scratch() {
  const migrations = await copyOfMigrations();
  cleanups.push(migrations.remove);
  const schema = join(migrations.dir, '..', 'schema.prisma');
  await copyFile(schemaPath, schema);
  return { migrationsDir: migrations.dir, schema };
}

// Each run replays the history in throwaway databases through the WASM schema engine: about 1-2 s.
describe('authoring migrations (db:migration)', () => {
  it('writes nothing when schema.prisma and the committed migrations agree', async () => {
    const { migrationsDir, schema } = await scratch();
    const before = await readdir(migrationsDir);

    expect(await createMigration({ server, schemaPath: schema, migrationsDir, name: 'nothing' })).toBeNull();
    expect(await readdir(migrationsDir)).toEqual(before);
  });

  it('writes the next migration for a schema change, and it applies on top of the history', async () => {
    const { migrationsDir, schema } = await scratch();
    const original = await readFile(schema, 'utf8');
    await writeFile(schema, original.replace(/(\n\s+verified\s+Boolean[^\n]*)/, '$1\n  nickname String?'));

    const created = await createMigration({
      server,
      schemaPath: schema,
      migrationsDir,
      name: 'user_nickname',
    });

    expect(created).toMatch(/^\d{14}_user_nickname$/);
    const script = await readFile(join(migrationsDir, String(created), 'migration.sql'), 'utf8');
    expect(script).toContain('ALTER TABLE "users" ADD COLUMN');
    expect(script).toContain('"nickname" TEXT');
    const database = await createTestDatabase({ migrate: false });
    cleanups.push(database.drop);
    const target = pgMigrationTarget(database.url);
    cleanups.push(() => target.close());
    expect((await applyMigrations(target, { migrationsDir })).at(-1)).toBe(created);
    expect(await createMigration({ server, schemaPath: schema, migrationsDir, name: 'again' })).toBeNull();
  });

  it('leaves no temporary database behind', async () => {
    const { migrationsDir, schema } = await scratch();
    // Test files run in parallel processes: count only this process's databases.
    const ours = () =>
      query(`SELECT datname FROM pg_database WHERE datname LIKE 'prisma\\_%\\_${process.pid}\\_%'`);
    const before = await ours();

    await createMigration({ server, schemaPath: schema, migrationsDir, name: 'nothing' });

    expect(await ours()).toEqual(before);
  });
});
