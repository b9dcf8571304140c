import type { SqlDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import type { Metrics, PoolStats } from './metrics.js';

export type DatabaseMetrics = Pick<Metrics, 'recordDatabaseOperation' | 'trackDatabasePool'>;

/** What adapter-pg's adapter exposes of its pool (`underlyingDriver()` is a pg.Pool). */
interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

const timedMethods = new Set(['queryRaw', 'executeRaw']);
// Transactions hand out their own queryable: its statements are timed too.
const returnsQueryable = new Set(['connect', 'startTransaction']);
const verbs = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback']);

/** The statement's verb: a label with a handful of values, never the SQL itself. */
export function operationOf(query: SqlQuery | undefined): string {
  const verb = /^\s*(\w+)/.exec(query?.sql ?? '')?.[1]?.toLowerCase() ?? '';
  return verbs.has(verb) ? verb : 'other';
}

function timed<T extends object>(target: T, metrics: DatabaseMetrics): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      if (returnsQueryable.has(key)) {
        return async (...args: unknown[]) => timed((await value.apply(object, args)) as object, metrics);
      }
      if (!timedMethods.has(key)) return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return (await value.apply(object, args)) as unknown;
        } finally {
          metrics.recordDatabaseOperation(
            operationOf(args[0] as SqlQuery),
            (performance.now() - started) / 1000,
          );
        }
      };
    },
  });
}

function poolOf(adapter: unknown): PoolCounts | undefined {
  const driver = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.();
  return driver && typeof (driver as PoolCounts).totalCount === 'number' ? (driver as PoolCounts) : undefined;
}

/**
 * The driver adapter with every statement timed (`db_client_operation_duration_seconds` by verb) and, once it
 * has connected, its pool's connections counted at each scrape (`db_client_connection_count`, pending requests).
 */
export function withDatabaseMetrics<F extends SqlDriverAdapterFactory>(
  factory: F,
  metrics: DatabaseMetrics,
): F {
  return new Proxy(factory, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (key !== 'connect' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const adapter = (await value.apply(object, args)) as object;
        const pool = poolOf(adapter);
        if (pool) {
          metrics.trackDatabasePool(
            (): PoolStats => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
          );
        }
        return timed(adapter, metrics);
      };
    },
  });
}
