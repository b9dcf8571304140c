import { noCache } from '../adapters/cache/read-through-cache.js';
import { createFieldCipher } from '../adapters/crypto/create-field-cipher.js';
import { type Database, openDatabase } from '../adapters/db/index.js';
import { loadStartupConfig } from '../adapters/vault/startup-config.js';
import { type Config, SecretsUnavailable, withDotEnv } from '../config/index.js';
import { type UnitOfWork, unitOfWork } from '../modules/unit-of-work.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';

/**
 * The service's configuration (Vault included) and its database as the service reaches it (DATABASE_URL, the
 * runtime role; the embedded database in the local tier, which allows one process: stop the service first).
 */
export async function openCliDatabase(): Promise<{
  cfg: Config;
  uow: UnitOfWork;
  close(): Promise<void>;
}> {
  const { cfg, vault } = await loadStartupConfig(withDotEnv(process.env, '.env'));
  const log = createLogger(cfg);
  await vault?.start(log);
  const db: Database = await openDatabase(cfg.database, log, createMetrics({ processMetrics: false }));
  const uow = unitOfWork(db.prisma, createFieldCipher(cfg.fieldEncryption, vault?.client), noCache);
  return {
    cfg,
    uow,
    async close() {
      vault?.close();
      await db.close();
    },
  };
}

/** Runs a command's main and exits with its code; a failure prints one line (secrets unavailable: their code). */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(error instanceof SecretsUnavailable ? error.exitCode : 1);
    },
  );
}
