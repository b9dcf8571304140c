// Authoring: `npm run db:migration -w app -- <name>` writes the next prisma/migrations/<timestamp>_<name>/.
// The schema engine needs a PostgreSQL server to replay the history on (throwaway databases, created and dropped
// here): SHADOW_DATABASE_URL, else DATABASE_DIRECT_URL. Never a pooler URL.
const serverUrl = process.env.SHADOW_DATABASE_URL ?? process.env.DATABASE_DIRECT_URL;

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createMigration } from '../adapters/db/migrations/authoring/create-migration.js';
import { serverConfig } from '../adapters/db/migrations/authoring/pg-adapter-factory.js';
import { defaultMigrationsDir } from '../adapters/db/migrations/index.js';

const usage =
  'usage: npm run db:migration -w app -- <name> [--schema prisma/schema.prisma] [--migrations prisma/migrations]';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { schema: { type: 'string' }, migrations: { type: 'string' } },
  });
  const name = positionals[0];
  if (!name || positionals.length > 1 || !/^[A-Za-z0-9_]+$/.test(name)) {
    console.error(`${usage}\n(<name>: letters, digits and underscores)`);
    return 2;
  }
  if (!serverUrl) {
    console.error(
      'db:migration needs SHADOW_DATABASE_URL or DATABASE_DIRECT_URL (a PostgreSQL server, not a pooler)',
    );
    return 2;
  }
  const started = performance.now();
  const created = await createMigration({
    server: serverConfig(serverUrl),
    schemaPath: values.schema ?? fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)),
    migrationsDir: values.migrations ?? defaultMigrationsDir,
    name,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    created
      ? `wrote ${created}/migration.sql (${seconds} s)`
      : `no changes: schema.prisma matches the migrations (${seconds} s)`,
  );
  return 0;
}

// Exit explicitly: the schema engine leaves a timer armed that would keep the process alive for seconds.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
