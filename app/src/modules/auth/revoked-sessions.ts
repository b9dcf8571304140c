import type { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';

/**
 * Why a revoked session's access tokens stop at once: every authenticated request asks this list (one Redis
 * EXISTS). Entries live exactly as long as an access token can, so the list stays small. If Redis cannot
 * answer, the request is let through and the guarantee falls back to the access token's short lifetime.
 */
export interface RevokedSessions {
  add(sessionIds: readonly string[]): Promise<void>;
  has(sessionId: string): Promise<boolean>;
}

export function revokedSessions(
  redis: Redis | undefined,
  options: { keyPrefix: string; ttlSeconds: number },
  log: Logger,
): RevokedSessions {
  if (!redis) return inMemory(options.ttlSeconds);
  const key = (sessionId: string) => `${options.keyPrefix}:revoked-session:${sessionId}`;
  return {
    async add(sessionIds) {
      if (sessionIds.length === 0) return;
      const batch = redis.multi();
      for (const id of sessionIds) batch.set(key(id), '1', 'EX', options.ttlSeconds);
      await batch
        .exec()
        .catch((error: unknown) => log.warn({ err: error }, 'could not publish revoked sessions'));
    },
    async has(sessionId) {
      try {
        return (await redis.exists(key(sessionId))) === 1;
      } catch (error) {
        log.warn({ err: error }, 'revoked-session check unavailable; relying on token expiry');
        return false;
      }
    },
  };
}

function inMemory(ttlSeconds: number): RevokedSessions {
  const until = new Map<string, number>();
  return {
    async add(sessionIds) {
      const expiry = Date.now() + ttlSeconds * 1000;
      for (const id of sessionIds) until.set(id, expiry);
    },
    async has(sessionId) {
      const expiry = until.get(sessionId);
      if (expiry !== undefined && expiry < Date.now()) until.delete(sessionId);
      return expiry !== undefined && expiry >= Date.now();
    },
  };
}
