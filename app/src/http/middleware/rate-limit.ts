import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
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
  const message = 'Too many requests: retry after the number of seconds in Retry-After.';
  const limiter = (name: string, max: number, windowMs: number) =>
    ratelimit({
      driver: store.driver,
      db: store.db,
      duration: windowMs,
      max,
      namespace: `${cfg.keyPrefix}:${name}`,
      id: clientIp,
      whitelist: (ctx) => isHealthPath(ctx.path),
      throw: true,
      errorMessage: message,
    } as ratelimit.MiddlewareOptions);
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
          message,
        })
      : limiter('global', cfg.max, cfg.windowMs);
  // Each path gets exactly one limit: the longest matching policy prefix, else the global one.
  const policies = [...cfg.policies]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((policy) => ({ prefix: policy.prefix, limit: limiter(policy.name, policy.max, policy.windowMs) }));
  const limitFor = (path: string) =>
    policies.find((policy) => path.startsWith(policy.prefix))?.limit ?? global;

  return async function rateLimit(ctx, next) {
    let passedOn = false;
    const downstream = () => {
      passedOn = true;
      return next();
    };
    try {
      await limitFor(ctx.path)(ctx, downstream);
    } catch (error) {
      const isStoreFailure = !passedOn && (error as { status?: number }).status === undefined;
      if (!isStoreFailure) throw error;
      log.warn({ err: error, policy: cfg.onStoreFailure }, 'rate-limit store unavailable');
      if (cfg.onStoreFailure === 'closed')
        throw new Unavailable('Rate limiting is unavailable; retry shortly.', 1);
      await next();
    }
  };
}
