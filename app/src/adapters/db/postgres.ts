import { PrismaPg } from '@prisma/adapter-pg';
import type { Config } from '../../config/index.js';
import { PrismaClient } from '../../generated/prisma/client.js';
import {
  type DatabaseMetrics,
  type SlowStatements,
  withDatabaseMetrics,
} from '../../observability/database-metrics.js';
import { withConnectionFailuresAsUnavailable } from './connection-failures.js';
import type { Database } from './database.js';

type PostgresConfig = Extract<Config['database'], { kind: 'postgres' }>;

/**
 * PostgreSQL through the pooled URL (PgBouncer in transaction mode in clusters). adapter-pg's default unnamed
 * statements are what make that safe: named prepared statements would collide across pooled server
 * connections. A lost or refused connection surfaces as `Unavailable` (503), never as a 500. With `metrics`,
 * every statement is timed and the pool's connections are counted; with `slow` too, statements over its
 * threshold are logged and counted.
 */
export function openPostgres(
  cfg: Omit<PostgresConfig, 'slowQueryMs'>,
  metrics?: DatabaseMetrics,
  slow?: SlowStatements,
): Database {
  const guarded = withConnectionFailuresAsUnavailable(
    new PrismaPg({
      connectionString: cfg.url,
      max: cfg.poolMax,
      connectionTimeoutMillis: cfg.connectTimeoutMs,
    }),
  );
  const adapter = metrics ? withDatabaseMetrics(guarded, metrics, slow) : guarded;
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),
  };
}
