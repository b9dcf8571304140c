import type { Config } from '../../config/index.js';
import type { DatabaseMetrics } from '../../observability/database-metrics.js';
import type { Logger } from '../../observability/logger.js';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export type { Database };

export function openDatabase(
  cfg: Config['database'],
  log: Logger,
  metrics?: DatabaseMetrics,
): Promise<Database> {
  return cfg.kind === 'postgres'
    ? Promise.resolve(openPostgres(cfg, metrics, { log, thresholdMs: cfg.slowQueryMs }))
    : openPglite(cfg, log);
}
