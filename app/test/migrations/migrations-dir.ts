import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir } from '../../src/adapters/db/migrations/index.js';

/** A scratch copy of prisma/migrations a test may add to or edit. */
export async function copyOfMigrations(): Promise<{
  dir: string;
  add(name: string, sql: string): Promise<void>;
  remove(): Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'migrations-'));
  const dir = join(root, 'migrations');
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return {
    dir,
    async add(name, sql) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'migration.sql'), sql);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
