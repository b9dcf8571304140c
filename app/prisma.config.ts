import { existsSync } from 'node:fs';
import { defineConfig } from 'prisma/config';

// Prisma's CLI checks for its native schema engine before generate/validate/format even though those run in
// WASM. Where the engine cannot be downloaded, point the check at an existing file; a real engine, when
// installed, is left untouched.
const engine = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
if (!engine || !existsSync(engine)) process.env.PRISMA_SCHEMA_ENGINE_BINARY = '/dev/null';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Migrations always use the direct URL (never PgBouncer): see docs/architecture.md.
  datasource: { url: process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL ?? '' },
});
