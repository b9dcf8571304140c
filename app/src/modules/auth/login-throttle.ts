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

const throttled = (msBeforeNext: number) =>
  new Throttled('Too many failed logins: retry later.', Math.max(1, Math.ceil(msBeforeNext / 1000)));

/**
 * Counts login attempts per account and per client address (rate-limiter-flexible). Shared by every replica
 * through Redis; when Redis is unavailable each process falls back to counting in memory, so brute force is
 * slowed either way.
 *
 * An attempt takes its point BEFORE the password is checked, in one atomic increment (rate-limiter-flexible's
 * Redis limiter is an INCRBY inside a Lua script): parallel guesses each see the count the earlier ones left,
 * so no more than the budget ever reaches the password check. A success gives its point back.
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

  /** Resolves with the wait in ms when the budget is spent (this attempt included), else 0. */
  const take = (store: RateLimiterAbstract, key: string): Promise<number> =>
    store.consume(key).then(
      () => 0,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return rejection.msBeforeNext;
        throw rejection;
      },
    );

  return {
    /**
     * Takes one attempt from every budget, before any password work; throws Throttled when one is spent.
     * The attempt then counts as a failure unless `succeeded` gives it back.
     */
    async begin(account: string, ip: string): Promise<void> {
      const waits = await Promise.all([take(perAccount, account), take(perIp, ip)]);
      const wait = Math.max(...waits);
      if (wait > 0) throw throttled(wait);
    },
    async succeeded(account: string, ip: string): Promise<void> {
      await Promise.all([
        perAccount.delete(account).catch(() => undefined),
        perIp.reward(ip, 1).catch(() => undefined),
      ]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
