import type { Redis } from 'ioredis';
import type { SecretsChange } from './adapters/vault/secret-store.js';
import { KeyRing } from './modules/auth/key-ring.js';
import type { Logger } from './observability/logger.js';

/** New signing keys from Vault take effect at once: the new kid signs, the old kids still verify. */
export function rotateSigningKeys(keys: KeyRing, change: SecretsChange, log: Logger) {
  if (!change.changed.includes('JWT_SIGNING_KEYS') && !change.changed.includes('JWT_ACTIVE_KID')) return;
  const json = change.values.JWT_SIGNING_KEYS;
  if (!json) return;
  try {
    keys.replace(KeyRing.parse(json, change.values.JWT_ACTIVE_KID).keySet);
    log.info({ kid: keys.signing.kid }, 'token signing keys rotated');
  } catch (error) {
    // A malformed rotation must not take signing down: keep the keys that work and say so.
    log.error(
      { err: { message: (error as Error).message } },
      'rotated signing keys rejected; keeping the current ones',
    );
  }
}

/**
 * A rotated Redis password (Vault writes it into REDIS_URL) is used from the next connection on; the open
 * connection stays authenticated, so nothing is interrupted while both passwords are valid.
 */
export function rotateRedisPassword(redis: Redis, change: SecretsChange, log: Logger) {
  const url = change.values.REDIS_URL;
  if (!change.changed.includes('REDIS_URL') || !url) return;
  redis.options.password = decodeURIComponent(new URL(url).password) || undefined;
  log.info('redis password rotated; used from the next connection on');
}
