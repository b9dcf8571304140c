import type { Redis } from 'ioredis';
import { noCache, type ReadThroughCache, readThroughCache } from './adapters/cache/read-through-cache.js';
import { createFieldCipher } from './adapters/crypto/create-field-cipher.js';
import type { FieldCipher } from './adapters/crypto/field-cipher.js';
import { type Database, openDatabase } from './adapters/db/index.js';
import { type CountryLookup, openCountryDatabase } from './adapters/geoip/country-database.js';
import { eventQueue } from './adapters/queue/event-queue.js';
import { createRedis, settle } from './adapters/redis/redis-client.js';
import { type SecretStore, staticSecrets } from './adapters/vault/secret-store.js';
import { VaultRuntime } from './adapters/vault/vault-runtime.js';
import type { Config } from './config/index.js';
import type { LimiterStore } from './http/middleware/rate-limit.js';
import type { ReadinessCheck } from './http/routes/readiness.js';
import { localSigningKeys } from './modules/auth/dev-keys.js';
import { KeyRing } from './modules/auth/key-ring.js';
import { type LoginThrottle, loginThrottle } from './modules/auth/login-throttle.js';
import { type RevokedSessions, revokedSessions } from './modules/auth/revoked-sessions.js';
import { startOutboxRelay } from './modules/events/outbox-relay.js';
import { type UnitOfWork, unitOfWork } from './modules/unit-of-work.js';
import { type RegistrationLimit, registrationLimit } from './modules/users/registration-limit.js';
import type { Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { observeRedis } from './observability/redis-metrics.js';
import { observeVaultRenewals } from './observability/vault-metrics.js';
import { rotateRedisPassword, rotateSigningKeys } from './secret-rotation.js';

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
  /** Read-through cache for single records (Redis); a pass-through when Redis or the cache is off. */
  readonly cache: ReadThroughCache;
  /** Repositories and transactions over this database, cipher and cache. */
  readonly uow: UnitOfWork;
  /** Tells the outbox relay that a commit wrote events (a no-op without a queue). */
  readonly eventsWritten: () => void;
  /** Vault's secrets as they are now; subscribe to apply rotated values (JWT keys, Redis password). */
  readonly secrets: SecretStore;
  readonly loginThrottle: LoginThrottle;
  readonly registrationLimit: RegistrationLimit;
  readonly revokedSessions: RevokedSessions;
  /** The GeoIP country database; undefined when GEOIP_DATABASE_PATH is unset. */
  readonly countries: CountryLookup | undefined;
  /** Revoked API keys: the session list's mechanism and outage policy, entries kept for a key's longest life. */
  readonly revokedKeys: RevokedSessions;
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
  // First: a database path that cannot be read stops the start before any connection is opened.
  const countries = cfg.http.geoip
    ? await openCountryDatabase(cfg.http.geoip.databasePath, {
        reloadCheckMs: cfg.http.geoip.reloadCheckMs,
        log,
      })
    : undefined;
  if (countries) log.info(countries.description, 'geoip database opened');
  const metrics = createMetrics();
  const db = await openDatabase(cfg.database, log, metrics);
  const redis = cfg.redis ? createRedis(cfg.redis, log) : undefined;
  if (redis) observeRedis(redis, metrics);
  const vault = options.vault ?? (cfg.vault ? new VaultRuntime(cfg.vault) : undefined);
  // Independent round trips, so started together: start-up waits for the slowest, not for their sum.
  await Promise.all([
    // The first query loads the query engine and opens a connection: pay for it now, not in the first probe.
    db
      .ping()
      .catch((error: unknown) => log.warn({ err: error }, 'database not reachable at start; continuing')),
    redis &&
      settle(redis, 2000).then((settled) => {
        if (!settled) log.warn('redis not reachable at start; continuing degraded');
      }),
    vault?.start(log),
  ]);
  const limiterStore: LimiterStore =
    cfg.rateLimit.store === 'redis' && redis
      ? { driver: 'redis', db: redis }
      : { driver: 'memory', db: new Map() };
  const readinessChecks: ReadinessCheck[] = [{ name: 'database', check: () => db.ping() }];
  // Redis is not critical: without it the cache is bypassed and limits fail open or closed by policy, so a
  // Redis outage must not take every replica out of the load balancer. Readiness reports it as degraded.
  if (redis) readinessChecks.push({ name: 'redis', critical: false, check: () => redis.ping() });
  if (vault) {
    observeVaultRenewals(vault.client.api, metrics);
    metrics.trackVaultToken(vault.client);
    readinessChecks.push(vault.readinessCheck);
  }
  const keys = cfg.auth.signingKeys
    ? KeyRing.parse(cfg.auth.signingKeys, cfg.auth.activeKid)
    : new KeyRing(await localSigningKeys(cfg.auth.keysFile));
  const cipher = createFieldCipher(cfg.fieldEncryption, vault?.client);
  const cache =
    redis && cfg.cache.enabled
      ? readThroughCache(
          redis,
          { ttlSeconds: cfg.cache.ttlSeconds, keyPrefix: cfg.redisKeyPrefix },
          log,
          (name, hit) => metrics.recordCacheLookup(name, hit),
        )
      : noCache;
  const uow = unitOfWork(db.prisma, cipher, cache);
  // Events leave the outbox for the job queue when there is a Redis; without one (local) they wait there.
  const queue = cfg.redis
    ? eventQueue(cfg.redis.url, { ...cfg.events.jobs, prefix: cfg.events.queuePrefix })
    : undefined;
  const relay = queue ? startOutboxRelay(uow, queue.publish, cfg.events.relay, log) : undefined;
  const secrets = vault?.secrets ?? staticSecrets();
  secrets.onSecretsChanged((change) => {
    rotateSigningKeys(keys, change, log);
    if (redis) rotateRedisPassword(redis, change, log);
  });
  return {
    log,
    metrics,
    db,
    redis,
    limiterStore,
    readinessChecks,
    keys,
    cipher,
    cache,
    uow,
    eventsWritten: () => relay?.nudge(),
    secrets,
    loginThrottle: loginThrottle(cfg.auth.throttle, redis, cfg.redisKeyPrefix),
    registrationLimit: registrationLimit(cfg.auth.registrationLimit, redis, cfg.redisKeyPrefix),
    revokedSessions: revokedSessions(
      redis,
      {
        keyPrefix: cfg.redisKeyPrefix,
        ttlSeconds: cfg.auth.accessTokenTtlSeconds,
        onStoreFailure: cfg.auth.revocationOnStoreFailure,
      },
      log,
    ),
    countries,
    revokedKeys: revokedSessions(
      redis,
      {
        keyPrefix: cfg.redisKeyPrefix,
        name: 'revoked-api-key',
        ttlSeconds: cfg.apiKeys.maxTtlDays * 86_400,
        onStoreFailure: cfg.auth.revocationOnStoreFailure,
      },
      log,
    ),
    async close() {
      await relay?.stop();
      await queue?.close();
      vault?.close();
      countries?.close();
      await Promise.allSettled([db.close(), redis?.quit()]);
      redis?.disconnect();
    },
  };
}
