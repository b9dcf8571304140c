import type { Middleware } from 'koa';
import { isHealthPath } from '../routes/paths.js';
import { BatchedCounter, type BatchedCounterOptions } from './batched-counter.js';
import type { ClientIpResolver } from './client-ip.js';

export interface BatchedLimitOptions extends BatchedCounterOptions {
  readonly clientIp: ClientIpResolver;
  readonly message: string;
}

/**
 * The global per-client limit on a BatchedCounter, answering as koa-ratelimit does: X-RateLimit-Limit,
 * -Remaining and -Reset (epoch seconds) on every counted request, 429 with Retry-After when refused. A store
 * failure is thrown without a status, so the caller applies its open/closed policy.
 */
export function batchedLimit(opts: BatchedLimitOptions): Middleware {
  const counter = new BatchedCounter(opts);
  return async function batchedLimit(ctx, next) {
    if (isHealthPath(ctx.path)) return next();
    const count = await counter.take(opts.clientIp(ctx));
    const headers = {
      'X-RateLimit-Remaining': String(count.remaining),
      'X-RateLimit-Reset': String(Math.ceil(count.resetAt / 1000)),
      'X-RateLimit-Limit': String(opts.max),
    };
    ctx.set(headers);
    if (count.admitted) return next();
    const retryAfter = Math.max(1, Math.ceil((count.resetAt - Date.now()) / 1000));
    ctx.throw(429, opts.message, { headers: { ...headers, 'Retry-After': String(retryAfter) } });
  };
}
