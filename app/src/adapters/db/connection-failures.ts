import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { Unavailable } from '../../shared/errors.js';

// What adapter-pg reports (as a DriverAdapterError cause) when there is no usable connection.
const unreachableKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
]);

// SQLSTATE: connection exceptions (class 08, PgBouncer's too), server shutting down or starting, no slots left.
const unavailableStates = /^(08...|57P0[123]|53300)$/;

// pg and pg-pool raise these as plain errors without a code, and adapter-pg passes them through unchanged.
const poolMessages = new Set([
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
]);

/** True when the database could not be reached or dropped the connection: the request may be retried later. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: { kind?: unknown; code?: unknown } }).cause;
  if (error.name === 'DriverAdapterError' && cause) {
    if (unreachableKinds.has(String(cause.kind))) return true;
    return cause.kind === 'postgres' && unavailableStates.test(String(cause.code));
  }
  return poolMessages.has(error.message);
}

const guardedMethods = new Set([
  'connect',
  'queryRaw',
  'executeRaw',
  'executeScript',
  'startTransaction',
  'commit',
  'rollback',
]);
const returnsQueryable = new Set(['connect', 'startTransaction']);

function guarded<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string' || !guardedMethods.has(key)) return value;
      return async (...args: unknown[]) => {
        try {
          const result = (await value.apply(object, args)) as unknown;
          return returnsQueryable.has(key) ? guarded(result as object) : result;
        } catch (error) {
          if (!isConnectionFailure(error)) throw error;
          // The driver's error stays attached for the log line; the client only sees the typed one.
          throw Object.assign(new Unavailable('The database is unavailable; retry shortly.', 1), {
            cause: error,
          });
        }
      };
    },
  });
}

/**
 * The driver adapter with connection failures raised as `Unavailable` (a 503 the client may retry) instead of
 * driver errors that would surface as 500s. Prisma passes errors that are not its adapter's own through to the
 * caller unchanged, so services and the error boundary see the typed error; every other error is untouched.
 */
export function withConnectionFailuresAsUnavailable<F extends SqlDriverAdapterFactory>(factory: F): F {
  return guarded(factory);
}
