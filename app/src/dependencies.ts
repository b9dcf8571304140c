import type { Redis } from 'ioredis';
import { type Database, openDatabase } from './adapters/db/index.js';
import { createRedis, settle } from './adapters/redis/redis-client.js';
import type { Config } from './config/index.js';
import type { LimiterStore } from './http/middleware/rate-limit.js';
import type { ReadinessCheck } from './http/routes/readiness.js';
import type { Logger } from './observability/logger.js';

/** Everything with a connection or a lifetime, opened once at start and closed once at shutdown. */
export interface Dependencies {
  readonly log: Logger;
  readonly db: Database;
  readonly redis: Redis | undefined;
  readonly limiterStore: LimiterStore;
  readonly readinessChecks: readonly ReadinessCheck[];
  close(): Promise<void>;
}

export async function openDependencies(cfg: Config, log: Logger): Promise<Dependencies> {
  const db = await openDatabase(cfg.database, log);
  // The first query loads the query engine and opens a connection: pay for it now, not in the first probe.
  await db
    .ping()
    .catch((error: unknown) => log.warn({ err: error }, 'database not reachable at start; continuing'));
  const redis = cfg.redis ? createRedis(cfg.redis, log) : undefined;
  if (redis && !(await settle(redis, 2000))) log.warn('redis not reachable at start; continuing degraded');
  const limiterStore: LimiterStore =
    cfg.rateLimit.store === 'redis' && redis
      ? { driver: 'redis', db: redis }
      : { driver: 'memory', db: new Map() };
  const readinessChecks: ReadinessCheck[] = [{ name: 'database', check: () => db.ping() }];
  if (redis) readinessChecks.push({ name: 'redis', check: () => redis.ping() });
  return {
    log,
    db,
    redis,
    limiterStore,
    readinessChecks,
    async close() {
      await Promise.allSettled([db.close(), redis?.quit()]);
      redis?.disconnect();
    },
  };
}
