// `npm run db:migrate -w app` (image: `node dist/cli/db-migrate.js`, the per-release migration Job).
// Migrations use the DIRECT database URL, never the pooled one: the run holds one transaction and its lock.
// In clusters that URL lives in Vault (the Job logs in with its service account), elsewhere in the environment.
import { applyMigrations, pgMigrationTarget } from '../adapters/db/migrations/index.js';
import { environmentWithVault } from '../adapters/vault/startup-config.js';

async function main(): Promise<number> {
  const directUrl = (await environmentWithVault(process.env)).DATABASE_DIRECT_URL;
  if (!directUrl) {
    console.error(
      'db:migrate failed: DATABASE_DIRECT_URL is not set (the direct PostgreSQL URL, not the pooler)',
    );
    return 1;
  }
  const target = pgMigrationTarget(directUrl);
  try {
    const applied = await applyMigrations(target, { log: (message) => console.log(message) });
    console.log(applied.length > 0 ? `${applied.length} migration(s) applied` : 'database is up to date');
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
