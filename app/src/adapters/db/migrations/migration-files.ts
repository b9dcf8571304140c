import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MigrationFile {
  /** The folder name, `<timestamp>_<name>`: what `_prisma_migrations.migration_name` holds. */
  name: string;
  script: string;
  /** sha256 of the file, lowercase hex: Prisma's checksum. */
  checksum: string;
}

// From src/adapters/db/migrations (tsx) and dist/adapters/db/migrations (image) alike, four levels up is the
// workspace root, where prisma/ lives.
export const defaultMigrationsDir = fileURLToPath(new URL('../../../../prisma/migrations/', import.meta.url));

/** Every `<dir>/<name>/migration.sql`, in name order (the timestamp prefix makes that chronological). */
export async function readMigrationFiles(
  migrationsDir: string = defaultMigrationsDir,
): Promise<MigrationFile[]> {
  if (!existsSync(migrationsDir)) return [];
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const path = join(migrationsDir, name, 'migration.sql');
    if (!existsSync(path)) throw new Error(`migration folder ${name} has no migration.sql`);
    const script = await readFile(path, 'utf8');
    files.push({ name, script, checksum: sha256(script) });
  }
  return files;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Prisma accepts a script whose line endings git changed since it was applied: so do we. */
export function matchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')];
  return variants.some((variant) => sha256(variant) === checksum);
}
