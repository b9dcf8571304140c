import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import type { Logger } from './logger.js';
import type { Metrics, PoolStats } from './metrics.js';
import { requestContext } from './request-context.js';

export type DatabaseMetrics = Pick<
  Metrics,
  | 'recordDatabaseOperation'
  | 'trackDatabasePool'
  | 'recordDatabaseConnectionError'
  | 'recordSlowDatabaseOperation'
>;

/** Statements slower than `thresholdMs` are logged at warn and counted; 0 turns this off. */
export interface SlowStatements {
  readonly log: Pick<Logger, 'warn'>;
  readonly thresholdMs: number;
}

// Long generated statements (wide IN lists) are cut: the head says which query it is.
const loggedSqlLength = 2000;

/** What adapter-pg's adapter exposes of its pool (`underlyingDriver()` is a pg.Pool). */
interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

type ConnectCallback = (error: unknown, ...client: unknown[]) => void;
interface ConnectablePool extends PoolCounts {
  connect(callback?: ConnectCallback): unknown;
}

/**
 * When the statement being timed got its pooled connection. A statement outside a transaction asks the pool for
 * a connection first (pg-pool's `query` calls `connect` with a callback, in the statement's async context), and
 * while every connection is busy it waits in the pool's queue: that wait is the pool's, not the statement's.
 */
const acquisition = new AsyncLocalStorage<{ acquiredAt?: number }>();

/** Marks, for the statement being timed, the moment the pool handed it a connection. */
function markAcquisitions(pool: ConnectablePool) {
  const connect = pool.connect.bind(pool);
  pool.connect = (callback?: ConnectCallback) => {
    const statement = acquisition.getStore();
    if (!statement || typeof callback !== 'function') return connect(callback);
    return connect((error, ...client) => {
      statement.acquiredAt = performance.now();
      callback(error, ...client);
    });
  };
}

const timedMethods = new Set(['queryRaw', 'executeRaw']);
// Transactions hand out their own queryable: its statements are timed too.
const returnsQueryable = new Set(['connect', 'startTransaction']);
const verbs = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback']);

/**
 * The kinds adapter-pg gives a statement that failed for want of a working connection (its convertDriverError,
 * @prisma/adapter-pg 7.10): the socket errors, TLS, refused logins and a full server. PostgreSQL's own class 08
 * (connection exception) and 57P01-57P03 (the server shutting down) arrive as kind `postgres` with the code.
 */
const connectionKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TlsConnectionError',
  'TooManyConnections',
  'AuthenticationFailed',
  'DatabaseAccessDenied',
  'DatabaseDoesNotExist',
]);

/** The label for a failed statement's error when it is about the connection, else undefined. */
export function connectionErrorKind(error: unknown): string | undefined {
  const cause = (error as { cause?: { kind?: unknown; code?: unknown } } | undefined)?.cause;
  if (typeof cause?.kind !== 'string') return undefined;
  if (connectionKinds.has(cause.kind)) return cause.kind;
  const code = typeof cause.code === 'string' ? cause.code : '';
  if (cause.kind === 'postgres' && (code.startsWith('08') || /^57P0[123]$/.test(code)))
    return `postgres_${code}`;
  return undefined;
}

/** The statement's verb: a label with a handful of values, never the SQL itself. */
export function operationOf(query: SqlQuery | undefined): string {
  const verb = /^\s*(\w+)/.exec(query?.sql ?? '')?.[1]?.toLowerCase() ?? '';
  return verbs.has(verb) ? verb : 'other';
}

/**
 * The statement as logged: Prisma sends values as `$1`-style parameters, which are never logged; literals a raw
 * statement carries in its text (quoted strings, E'' strings, dollar-quoted bodies) become `'?'` too.
 */
export function redactedSql(sql: string): string {
  const redacted = sql
    .replace(/\$(\w*)\$[\s\S]*?\$\1\$/g, "'?'")
    .replace(/(?:\b[eE])?'(?:[^'\\]|''|\\[\s\S])*'/g, "'?'");
  return redacted.length > loggedSqlLength ? `${redacted.slice(0, loggedSqlLength)}…` : redacted;
}

/**
 * The route of the request that issued the statement, when the request's context carries one. The trace and
 * request ids need no passing: the logger adds them to every line written inside the request.
 */
function currentRoute(): string | undefined {
  return requestContext.getStore()?.route?.();
}

function reportSlow(
  query: SqlQuery | undefined,
  operation: string,
  ms: number,
  waitedMs: number,
  slow: SlowStatements,
) {
  slow.log.warn(
    {
      durationMs: Math.round(ms),
      waitedForConnectionMs: waitedMs > 0 ? Math.round(waitedMs) : undefined,
      operation,
      sql: redactedSql(query?.sql ?? ''),
      route: currentRoute(),
    },
    'slow database statement',
  );
}

function timed<T extends object>(target: T, metrics: DatabaseMetrics, slow?: SlowStatements): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      if (returnsQueryable.has(key)) {
        return async (...args: unknown[]) =>
          timed((await value.apply(object, args)) as object, metrics, slow);
      }
      if (!timedMethods.has(key)) return value;
      return async (...args: unknown[]) => {
        const statement: { acquiredAt?: number } = {};
        const started = performance.now();
        try {
          return (await acquisition.run(statement, () => value.apply(object, args))) as unknown;
        } catch (error) {
          const kind = connectionErrorKind(error);
          if (kind) metrics.recordDatabaseConnectionError(kind);
          throw error;
        } finally {
          const ended = performance.now();
          const operation = operationOf(args[0] as SqlQuery);
          metrics.recordDatabaseOperation(operation, (ended - started) / 1000);
          // Slow is the statement's own time, from the moment it had a connection: counted from the call, a
          // saturated pool made every statement slow, and logging each one cost CPU when there was none to spare.
          const executing = ended - (statement.acquiredAt ?? started);
          if (slow && slow.thresholdMs > 0 && executing >= slow.thresholdMs) {
            metrics.recordSlowDatabaseOperation(operation);
            reportSlow(args[0] as SqlQuery, operation, executing, ended - started - executing, slow);
          }
        }
      };
    },
  });
}

function poolOf(adapter: unknown): ConnectablePool | undefined {
  const driver = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.();
  return driver && typeof (driver as PoolCounts).totalCount === 'number'
    ? (driver as ConnectablePool)
    : undefined;
}

/**
 * The driver adapter with every statement timed (`db_client_operation_duration_seconds` by verb) and, once it
 * has connected, its pool's connections counted at each scrape (`db_client_connection_count`, pending requests).
 * With `slow`, a statement at or over its threshold is logged (SQL text only, never its parameters) and counted
 * in `db_client_slow_operations_total`; its time counts from when it had a connection, and the line says how
 * long it waited for one.
 */
export function withDatabaseMetrics<F extends SqlDriverAdapterFactory>(
  factory: F,
  metrics: DatabaseMetrics,
  slow?: SlowStatements,
): F {
  return new Proxy(factory, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (key !== 'connect' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const adapter = (await value.apply(object, args)) as object;
        const pool = poolOf(adapter);
        if (pool) {
          markAcquisitions(pool);
          metrics.trackDatabasePool(
            (): PoolStats => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
          );
        }
        return timed(adapter, metrics, slow);
      };
    },
  });
}
