import type { Redis } from 'ioredis';
import { createFieldCipher } from './adapters/crypto/create-field-cipher.js';
import type { FieldCipher } from './adapters/crypto/field-cipher.js';
import { type Database, openDatabase } from './adapters/db/index.js';
import { createRedis, settle } from './adapters/redis/redis-client.js';
import { type SecretStore, type SecretsChange, staticSecrets } from './adapters/vault/secret-store.js';
import { VaultRuntime } from './adapters/vault/vault-runtime.js';
import type { Config } from './config/index.js';
import type { LimiterStore } from './http/middleware/rate-limit.js';
import type { ReadinessCheck } from './http/routes/readiness.js';
import { localSigningKeys } from './modules/auth/dev-keys.js';
import { KeyRing } from './modules/auth/key-ring.js';
import { type LoginThrottle, loginThrottle } from './modules/auth/login-throttle.js';
import { type RevokedSessions, revokedSessions } from './modules/auth/revoked-sessions.js';
import type { Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { observeRedis } from './observability/redis-metrics.js';

/** Everything with a connection or a lifetime, opened once at start and closed once at shutdown. */
export interface Dependencies {
  readonly log: Logger;
  /** The Prometheus registry and the recorders every layer and module counts with. */
  readonly metrics: Metrics;
  readonly db: Database;
  readonly redis: Redis | undefined;
  readonly limiterStore: LimiterStore;
  readonly readinessChecks: readonly ReadinessCheck[];
  /** Token signing keys; replaced in place when rotated keys arrive. */
  readonly keys: KeyRing;
  readonly cipher: FieldCipher;
  /** Vault's secrets as they are now; subscribe to apply rotated values (JWT keys, Redis password). */
  readonly secrets: SecretStore;
  readonly loginThrottle: LoginThrottle;
  readonly revokedSessions: RevokedSessions;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The Vault session main opened to read the configuration; opened here from `cfg.vault` when absent. */
  readonly vault?: VaultRuntime;
}

export async function openDependencies(
  cfg: Config,
  log: Logger,
  options: OpenOptions = {},
): Promise<Dependencies> {
  const metrics = createMetrics();
  const db = await openDatabase(cfg.database, log);
  // The first query loads the query engine and opens a connection: pay for it now, not in the first probe.
  await db
    .ping()
    .catch((error: unknown) => log.warn({ err: error }, 'database not reachable at start; continuing'));
  const redis = cfg.redis ? createRedis(cfg.redis, log) : undefined;
  if (redis) observeRedis(redis, metrics);
  if (redis && !(await settle(redis, 2000))) log.warn('redis not reachable at start; continuing degraded');
  const limiterStore: LimiterStore =
    cfg.rateLimit.store === 'redis' && redis
      ? { driver: 'redis', db: redis }
      : { driver: 'memory', db: new Map() };
  const readinessChecks: ReadinessCheck[] = [{ name: 'database', check: () => db.ping() }];
  if (redis) readinessChecks.push({ name: 'redis', check: () => redis.ping() });
  const vault = options.vault ?? (cfg.vault ? new VaultRuntime(cfg.vault) : undefined);
  if (vault) {
    await vault.start(log);
    readinessChecks.push(vault.readinessCheck);
  }
  const keys = cfg.auth.signingKeys
    ? KeyRing.parse(cfg.auth.signingKeys, cfg.auth.activeKid)
    : new KeyRing(await localSigningKeys(cfg.auth.keysFile));
  const secrets = vault?.secrets ?? staticSecrets();
  secrets.onSecretsChanged((change) => rotateSigningKeys(keys, change, log));
  return {
    log,
    metrics,
    db,
    redis,
    limiterStore,
    readinessChecks,
    keys,
    cipher: createFieldCipher(cfg.fieldEncryption, vault?.client),
    secrets,
    loginThrottle: loginThrottle(cfg.auth.throttle, redis, cfg.redisKeyPrefix),
    revokedSessions: revokedSessions(
      redis,
      { keyPrefix: cfg.redisKeyPrefix, ttlSeconds: cfg.auth.accessTokenTtlSeconds },
      log,
    ),
    async close() {
      vault?.close();
      await Promise.allSettled([db.close(), redis?.quit()]);
      redis?.disconnect();
    },
  };
}

/** New signing keys from Vault take effect at once: the new kid signs, the old kids still verify. */
function rotateSigningKeys(keys: KeyRing, change: SecretsChange, log: Logger) {
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
