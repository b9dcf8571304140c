import type { Logger } from '../../observability/logger.js';
import { expiringKeys } from '../auth/expiring-keys.js';
import type { ApiKeyRepository } from './api-key-repository.js';

/** How stale `lastUsedAt` may be: a write per key per minute instead of one per request. */
export const lastUsedIntervalMs = 60_000;

/**
 * Records a key's last use at most once a minute per replica (a key used within the last minute here is skipped
 * without a query), and the conditional UPDATE makes it at most once a minute over all replicas. The first use
 * in a minute waits for its write (one indexed UPDATE), so the column is current when the answer arrives; a
 * failed write is logged, never the request's failure.
 */
export function lastUsedRecorder(repo: () => ApiKeyRepository, log: Logger) {
  const recent = expiringKeys(100_000, lastUsedIntervalMs);
  return async (keyId: string): Promise<void> => {
    if (recent.has(keyId)) return;
    recent.set(keyId, true);
    await repo()
      .touchLastUsed(keyId, new Date(), lastUsedIntervalMs)
      .catch((error: unknown) => log.warn({ err: error, keyId }, 'could not record an API key use'));
  };
}
