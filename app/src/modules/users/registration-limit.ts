import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Throttled } from '../../shared/errors.js';

export interface RegistrationLimitSettings {
  readonly maxPerClient: number;
  readonly windowSeconds: number;
}

/**
 * Registrations per client address and window, counted atomically before any other work (in Redis, shared by
 * replicas; in memory while Redis is away). Bounds both the argon2 work a stranger can cause and how fast a
 * stranger can probe which emails are registered (docs/security.md, registration answers).
 */
export function registrationLimit(
  settings: RegistrationLimitSettings,
  redis: Redis | undefined,
  keyPrefix: string,
) {
  const options = {
    keyPrefix: `${keyPrefix}:registration`,
    points: settings.maxPerClient,
    duration: settings.windowSeconds,
  };
  const memory = new RateLimiterMemory(options);
  const limiter = redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory })
    : memory;
  return {
    async take(client: string): Promise<void> {
      await limiter.consume(client).catch((rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new Throttled('Too many registrations from this address: retry later.', seconds);
      });
    },
  };
}

export type RegistrationLimit = ReturnType<typeof registrationLimit>;
