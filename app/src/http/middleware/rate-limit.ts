import type { Redis } from 'ioredis';
import type { Context, Middleware } from 'koa';
import ratelimit from 'koa-ratelimit';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import { Unavailable } from '../../shared/errors.js';
import { isHealthPath } from '../routes/paths.js';
import { batchedLimit } from './batched-limit.js';
import type { ClientIpResolver } from './client-ip.js';

/** Where request counts live: one Map for a single process (local), Redis when replicas must share limits. */
export type LimiterStore = { driver: 'memory'; db: Map<string, unknown> } | { driver: 'redis'; db: Redis };

/**
 * koa-ratelimit per client IP with X-RateLimit-* and Retry-After, with stricter policies for chosen path
 * prefixes (the auth endpoints); health probes exempt. The policies always ask the store on every request
 * (exact). The global limit does too with `sync.mode` per-request or the memory store; with the Redis store
 * and `batched` it counts locally and syncs in batches (see batched-counter.ts for the accuracy traded). When the store fails
 * (Redis down or slow past its command timeout) the request is served (`open`) or refused with 503 (`closed`)
 * at once: Redis commands fail fast because the client has no offline queue and a command timeout.
 */
export function rateLimit(
  cfg: Config['rateLimit'],
  store: LimiterStore,
  clientIp: ClientIpResolver,
  log: Logger,
): Middleware {
  const limiter = (name: string, max: number, windowMs: number) =>
    storeLimit(store, { namespace: `${cfg.keyPrefix}:${name}`, max, windowMs, id: clientIp });
  const global =
    store.driver === 'redis' && cfg.sync.mode === 'batched'
      ? batchedLimit({
          redis: store.db,
          keyPrefix: `${cfg.keyPrefix}:global-count`,
          max: cfg.max,
          windowMs: cfg.windowMs,
          batch: cfg.sync.batch,
          syncIntervalMs: cfg.sync.intervalMs,
          clientIp,
          message: limitMessage,
        })
      : limiter('global', cfg.max, cfg.windowMs);
  // Each path gets exactly one limit: the longest matching policy prefix, else the global one.
  const policies = [...cfg.policies]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((policy) => ({ prefix: policy.prefix, limit: limiter(policy.name, policy.max, policy.windowMs) }));
  const limitFor = (path: string) =>
    policies.find((policy) => path.startsWith(policy.prefix))?.limit ?? global;

  return withStoreFailurePolicy((ctx, next) => limitFor(ctx.path)(ctx, next), cfg.onStoreFailure, log);
}

const limitMessage = 'Too many requests: retry after the number of seconds in Retry-After.';

/** koa-ratelimit on the shared store, counting requests per `id` (exact: one atomic step per request). */
export function storeLimit(
  store: LimiterStore,
  options: { namespace: string; max: number; windowMs: number; id: (ctx: Context) => string },
): Middleware {
  return ratelimit({
    driver: store.driver,
    db: store.db,
    duration: options.windowMs,
    max: options.max,
    namespace: options.namespace,
    id: options.id,
    whitelist: (ctx) => isHealthPath(ctx.path),
    throw: true,
    errorMessage: limitMessage,
  } as ratelimit.MiddlewareOptions);
}

/**
 * A limit whose store failed (it threw before passing the request on, without a status) serves the request
 * (`open`) or refuses it with 503 (`closed`); a 429 and anything thrown downstream pass through untouched.
 */
export function withStoreFailurePolicy(
  limit: Middleware,
  onStoreFailure: 'open' | 'closed',
  log: Logger,
): Middleware {
  return async function rateLimit(ctx, next) {
    let passedOn = false;
    const downstream = () => {
      passedOn = true;
      return next();
    };
    try {
      await limit(ctx, downstream);
    } catch (error) {
      const isStoreFailure = !passedOn && (error as { status?: number }).status === undefined;
      if (!isStoreFailure) throw error;
      log.warn({ err: error, policy: onStoreFailure }, 'rate-limit store unavailable');
      if (onStoreFailure === 'closed')
        throw new Unavailable('Rate limiting is unavailable; retry shortly.', 1);
      await next();
    }
  };
}
