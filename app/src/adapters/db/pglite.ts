import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../../config/index.js';
import { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../observability/logger.js';
import type { Database } from './database.js';
import { lockDirectory } from './directory-lock.js';
import { applyMigrations, pgliteMigrationTarget } from './migrations/index.js';

type PgliteConfig = Extract<Config['database'], { kind: 'pglite' }>;

/**
 * The local tier's embedded PostgreSQL (PGlite, in-process, kept in a directory). Same schema, same migrations
 * as every other tier; they are applied on open because nobody runs a migration job on a laptop. PostgreSQL
 * allows one server per data directory and PGlite is that server, so the directory is locked first: a second
 * process fails with DirectoryInUse (naming the holder) instead of writing the same files.
 */
export async function openPglite(cfg: PgliteConfig, log: Logger): Promise<Database> {
  await mkdir(cfg.dir, { recursive: true });
  const lock = lockDirectory(cfg.dir);
  try {
    return await openLocked(cfg, log, lock.release);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openLocked(cfg: PgliteConfig, log: Logger, unlock: () => void): Promise<Database> {
  const pglite = await PGlite.create(cfg.dir);
  const applied = await applyMigrations(pgliteMigrationTarget(pglite), {
    log: (message) => log.debug(message),
  });
  if (applied.length > 0) log.info({ applied }, 'embedded database migrated');
  // PGlite has one superuser and one session. Migrated as it, the service then runs as the runtime role the
  // migrations grant (as DATABASE_URL's user does in a cluster), so a query needing more fails here too. Not a
  // boundary (the session could RESET ROLE), but the local tier keeps to the same grants as every other.
  await pglite.exec('SET ROLE platform_api_runtime');
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}
