import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMigrationFiles } from '../../src/adapters/db/migrations/index.js';
import { appDir, runCli as run } from '../support/cli-process.js';
import { createTestDatabase, testServerUrl } from '../support/databases.js';
import { copyOfMigrations } from './migrations-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('npm run db:migrate', () => {
  it('applies pending migrations over DATABASE_DIRECT_URL, says which, and then that all is up to date', async () => {
    const database = await createTestDatabase({ migrate: false });
    cleanups.push(database.drop);
    const names = (await readMigrationFiles()).map((file) => file.name);

    const first = await run('src/cli/db-migrate.ts', [], { DATABASE_DIRECT_URL: database.url });
    const second = await run('src/cli/db-migrate.ts', [], { DATABASE_DIRECT_URL: database.url });

    expect(first.code).toBe(0);
    for (const name of names) expect(first.stdout).toContain(`applied ${name}`);
    expect(second).toEqual({ code: 0, stdout: 'database is up to date\n', stderr: '' });
  });

  it('exits non-zero with one readable line when the database cannot be reached', async () => {
    const result = await run('src/cli/db-migrate.ts', [], {
      DATABASE_DIRECT_URL: 'postgresql://postgres@127.0.0.1:1/none',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^db:migrate failed: .*ECONNREFUSED.*\n$/);
  });

  it('exits non-zero and names the variable when DATABASE_DIRECT_URL is missing', async () => {
    const result = await run('src/cli/db-migrate.ts', [], {});

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_DIRECT_URL is not set');
  });
});

describe('npm run db:migration', () => {
  it('says there is nothing to write when the schema matches the history', async () => {
    const migrations = await copyOfMigrations();
    cleanups.push(migrations.remove);
    const schema = join(migrations.dir, '..', 'schema.prisma');
    await copyFile(join(appDir, 'prisma', 'schema.prisma'), schema);

    const result = await run(
      'src/cli/db-migration.ts',
      ['noop', '--schema', schema, '--migrations', migrations.dir],
      {
        DATABASE_DIRECT_URL: testServerUrl,
      },
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^no changes: schema.prisma matches the migrations/);
  });

  it('asks for a name, and for a server to replay the history on', async () => {
    const noName = await run('src/cli/db-migration.ts', [], { DATABASE_DIRECT_URL: testServerUrl });
    const noServer = await run('src/cli/db-migration.ts', ['add_things'], {});

    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('usage: npm run db:migration');
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('SHADOW_DATABASE_URL or DATABASE_DIRECT_URL');
  });
});
