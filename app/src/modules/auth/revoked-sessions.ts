import type { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';
import { Unavailable } from '../../shared/errors.js';
import { expiringKeys } from './expiring-keys.js';

/**
 * Why a revoked session's access tokens stop at once: every authenticated request asks this list (one Redis
 * EXISTS). Entries live exactly as long as an access token can, so the list stays small.
 *
 * When Redis cannot answer (after one quick retry), the tier decides (REVOCATION_ON_STORE_FAILURE): `open`
 * lets the request through and the guarantee falls back to the access token's short lifetime (local, dev);
 * `closed` answers 503 (staging, prod): an outage may refuse requests but never readmits a logged-out
 * session. Sessions this replica revoked are also remembered here, and a revocation Redis could not take is
 * published again every second until it can: a logout during an outage holds on every replica afterwards.
 */
export interface RevokedSessions {
  add(sessionIds: readonly string[]): Promise<void>;
  has(sessionId: string): Promise<boolean>;
}

export interface RevocationSettings {
  readonly keyPrefix: string;
  /** What is revoked, in the Redis key: `revoked-session` (default); API keys keep their own list. */
  readonly name?: string;
  readonly ttlSeconds: number;
  readonly onStoreFailure: 'open' | 'closed';
}

const retryDelayMs = 25;
const republishEveryMs = 1000;

export function revokedSessions(
  redis: Redis | undefined,
  settings: RevocationSettings,
  log: Logger,
): RevokedSessions {
  const local = expiringKeys(100_000, settings.ttlSeconds * 1000);
  if (!redis) {
    return {
      async add(sessionIds) {
        for (const id of sessionIds) local.set(id, true);
      },
      async has(sessionId) {
        return local.has(sessionId);
      },
    };
  }
  const key = (sessionId: string) =>
    `${settings.keyPrefix}:${settings.name ?? 'revoked-session'}:${sessionId}`;
  const unpublished = new Set<string>();
  let republishing: NodeJS.Timeout | undefined;

  const publish = async (ids: readonly string[]) => {
    const batch = redis.multi();
    // The remaining lifetime is not known here: the full access-token lifetime is the safe upper bound.
    for (const id of ids) batch.set(key(id), '1', 'EX', settings.ttlSeconds);
    const results = await batch.exec();
    if (results?.some(([error]) => error)) throw new Error('revocation not stored');
  };
  const republish = () => {
    const ids = [...unpublished].filter((id) => local.has(id)); // expired ones need no publishing
    if (ids.length === 0) {
      unpublished.clear();
      clearInterval(republishing);
      republishing = undefined;
      return;
    }
    publish(ids).then(
      () => {
        for (const id of ids) unpublished.delete(id);
        log.info({ sessions: ids.length }, 'revoked sessions published after an outage');
      },
      () => undefined,
    );
  };
  const republishLater = () => {
    republishing ??= setInterval(republish, republishEveryMs);
    republishing.unref();
  };
  // The moment Redis is back, not up to a second later: other replicas read only Redis.
  redis.on('ready', () => {
    if (unpublished.size > 0) republish();
  });
  const exists = async (sessionId: string) => (await redis.exists(key(sessionId))) === 1;

  return {
    async add(sessionIds) {
      if (sessionIds.length === 0) return;
      for (const id of sessionIds) local.set(id, true);
      try {
        await publish(sessionIds);
      } catch (error) {
        log.warn({ err: error }, 'could not publish revoked sessions; retrying every second');
        for (const id of sessionIds) unpublished.add(id);
        republishLater();
      }
    },
    async has(sessionId) {
      if (local.has(sessionId)) return true;
      try {
        return await exists(sessionId).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
          return exists(sessionId);
        });
      } catch (error) {
        if (settings.onStoreFailure === 'closed') {
          throw new Unavailable('Sessions cannot be checked right now: retry shortly.', 1);
        }
        log.warn({ err: error }, 'revoked-session check unavailable; relying on token expiry');
        return false;
      }
    },
  };
}
