import type { Config } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export type { Database };

export function openDatabase(cfg: Config['database'], log: Logger): Promise<Database> {
  return cfg.kind === 'postgres' ? Promise.resolve(openPostgres(cfg)) : openPglite(cfg, log);
}
