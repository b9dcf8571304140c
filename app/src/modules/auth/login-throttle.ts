import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { Throttled } from '../../shared/errors.js';

export interface ThrottleSettings {
  readonly maxFailuresPerAccount: number;
  readonly maxFailuresPerIp: number;
  readonly windowSeconds: number;
}

/**
 * Counts failed logins per account and per client address (rate-limiter-flexible). Shared by every replica
 * through Redis; when Redis is unavailable each process falls back to counting in memory, so brute force is
 * slowed either way.
 */
export function loginThrottle(settings: ThrottleSettings, redis: Redis | undefined, keyPrefix: string) {
  const limiter = (name: string, points: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${keyPrefix}:login-${name}`, points, duration: settings.windowSeconds };
    const memory = new RateLimiterMemory(options);
    return redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory })
      : memory;
  };
  const perAccount = limiter('account', settings.maxFailuresPerAccount);
  const perIp = limiter('ip', settings.maxFailuresPerIp);

  const exhausted = async (store: RateLimiterAbstract, key: string) => {
    const state = await store.get(key).catch(() => null);
    return state && state.consumedPoints >= store.points ? Math.ceil(state.msBeforeNext / 1000) : 0;
  };
  const consume = (store: RateLimiterAbstract, key: string) =>
    store.consume(key).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });

  return {
    /** Throws Throttled while either counter is exhausted, before any password work is done. */
    async check(account: string, ip: string): Promise<void> {
      const waits = await Promise.all([exhausted(perAccount, account), exhausted(perIp, ip)]);
      const retryAfter = Math.max(...waits);
      if (retryAfter > 0) throw new Throttled('Too many failed logins: retry later.', retryAfter);
    },
    async recordFailure(account: string, ip: string): Promise<void> {
      await Promise.all([consume(perAccount, account), consume(perIp, ip)]);
    },
    async recordSuccess(account: string): Promise<void> {
      await perAccount.delete(account).catch(() => undefined);
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
