import { toApiKeySettings } from './api-key-settings.js';
import { toErrorReportingSettings } from './error-reporting-settings.js';
import { geoipProblems, toGeoipSettings } from './geoip-settings.js';
import { authProblems, hipaaProblems, productionProblems, requirementProblems } from './guardrails.js';
import { toRetentionSettings } from './retention-settings.js';
import { type Env, envSchema, type LayerName } from './schema.js';
import { toMetricsSettings, toTelemetrySettings } from './telemetry-settings.js';
import { type Tier, tierAliases, tierDefaults } from './tiers.js';
import { toFieldEncryption, toVaultSettings, vaultProblems } from './vault-settings.js';

export type RawEnv = Readonly<Record<string, string | undefined>>;

/** Invalid configuration: one readable line per problem, printed by main before it exits. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once: tier defaults < given variables; validated, cross-checked, frozen. */
export function loadConfig(raw: RawEnv): Config {
  const tier = tierAliases[(raw.APP_ENV ?? 'local').trim().toLowerCase()];
  if (!tier) {
    throw new ConfigError([
      `APP_ENV: "${raw.APP_ENV}" is not one of local, dev, staging, prod (or development, integration, production)`,
    ]);
  }
  const parsed = envSchema.safeParse({ ...tierDefaults[tier], ...withoutBlanks(raw), APP_ENV: tier });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const problems = [
    ...requirementProblems(parsed.data),
    ...authProblems(parsed.data),
    ...vaultProblems(parsed.data),
    ...geoipProblems(parsed.data),
    ...(tier === 'prod' ? productionProblems(parsed.data) : []),
    ...hipaaProblems(parsed.data),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(toConfig(parsed.data));
}

function toConfig(env: Env) {
  return {
    tier: env.APP_ENV as Tier,
    version: env.APP_VERSION,
    http: {
      host: env.HOST,
      port: env.PORT,
      trustedProxies: env.TRUSTED_PROXIES,
      maxIpsCount: env.PROXY_MAX_IPS,
      allowedHosts: env.ALLOWED_HOSTS,
      corsOrigins: env.CORS_ORIGINS,
      hsts: env.HSTS_ENABLED,
      bodyLimits: { default: env.BODY_LIMIT, byPrefix: env.BODY_LIMITS_BY_PREFIX },
      disabledLayers: env.HTTP_LAYERS_DISABLED as readonly LayerName[],
      exposeErrorDetails: env.EXPOSE_ERROR_DETAILS,
      compression: { enabled: env.COMPRESSION_ENABLED, thresholdBytes: env.COMPRESSION_THRESHOLD_BYTES },
      geoip: toGeoipSettings(env),
    },
    rateLimit: {
      store: env.RATE_LIMIT_STORE,
      max: env.RATE_LIMIT_MAX,
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      onStoreFailure: env.RATE_LIMIT_ON_STORE_FAILURE,
      keyPrefix: `${env.REDIS_KEY_PREFIX}:ratelimit`,
      sync: {
        mode: env.RATE_LIMIT_SYNC,
        batch: Math.max(1, Math.floor(env.RATE_LIMIT_MAX * env.RATE_LIMIT_SYNC_BATCH_FRACTION)),
        intervalMs: env.RATE_LIMIT_SYNC_INTERVAL_MS,
      },
      // Longest matching prefix wins; everything else gets the global limit above.
      policies: [
        {
          name: 'auth',
          prefix: '/api/v1/auth/',
          max: env.RATE_LIMIT_AUTH_MAX,
          windowMs: env.RATE_LIMIT_AUTH_WINDOW_MS,
        },
      ],
    },
    database:
      env.DATABASE_KIND === 'postgres'
        ? {
            kind: 'postgres' as const,
            url: env.DATABASE_URL!,
            directUrl: env.DATABASE_DIRECT_URL ?? env.DATABASE_URL!,
            poolMax: env.DATABASE_POOL_MAX,
            connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
            slowQueryMs: env.DB_SLOW_QUERY_MS,
          }
        : { kind: 'pglite' as const, dir: env.PGLITE_DIR },
    redis: env.REDIS_URL ? { url: env.REDIS_URL, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS } : undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    events: {
      queuePrefix: `${env.REDIS_KEY_PREFIX}:bull`,
      relay: { intervalMs: env.OUTBOX_RELAY_INTERVAL_MS, batchSize: env.OUTBOX_RELAY_BATCH },
      jobs: { attempts: env.JOB_ATTEMPTS, backoffMs: env.JOB_BACKOFF_MS },
      worker: {
        port: env.WORKER_PORT,
        concurrency: env.WORKER_CONCURRENCY,
        lockDurationMs: env.WORKER_LOCK_DURATION_MS,
        stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
      },
    },
    cache: { enabled: env.CACHE_ENABLED && env.REDIS_URL !== undefined, ttlSeconds: env.CACHE_TTL_SECONDS },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    docs: { enabled: env.DOCS_ENABLED },
    auth: {
      enabled: env.AUTH_ENABLED,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      signingKeys: env.JWT_SIGNING_KEYS,
      activeKid: env.JWT_ACTIVE_KID,
      keysFile: env.JWT_KEYS_FILE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      registrationEnabled: env.REGISTRATION_ENABLED,
      revocationOnStoreFailure: env.REVOCATION_ON_STORE_FAILURE,
      breachLookup: env.PASSWORD_BREACH_LOOKUP_URL
        ? { url: env.PASSWORD_BREACH_LOOKUP_URL, timeoutMs: env.PASSWORD_BREACH_LOOKUP_TIMEOUT_MS }
        : undefined,
      registrationLimit: {
        maxPerClient: env.REGISTRATION_MAX_PER_CLIENT,
        windowSeconds: env.REGISTRATION_WINDOW_SECONDS,
      },
      throttle: {
        maxFailuresPerAccountAndClient: env.LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_CLIENT,
        maxFailuresPerClient: env.LOGIN_MAX_FAILURES_PER_CLIENT,
        windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
        accountCeiling: env.LOGIN_ACCOUNT_CEILING,
        accountCeilingWindowSeconds: env.LOGIN_ACCOUNT_CEILING_WINDOW_SECONDS,
      },
    },
    apiKeys: toApiKeySettings(env),
    seed: { adminEmail: env.APP_ENV === 'local' ? env.SEED_ADMIN_EMAIL : undefined },
    vault: toVaultSettings(env),
    fieldEncryption: toFieldEncryption(env),
    readiness: { timeoutMs: env.READINESS_TIMEOUT_MS, cacheMs: env.READINESS_CACHE_MS },
    shutdown: { timeoutMs: env.SHUTDOWN_TIMEOUT_MS },
    telemetry: toTelemetrySettings(env),
    metrics: toMetricsSettings(env),
    errorReporting: toErrorReportingSettings(env),
    hipaa: { enabled: env.HIPAA_MODE },
    retention: toRetentionSettings(env),
  };
}

export type Config = DeepReadonly<ReturnType<typeof toConfig>>;
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

function withoutBlanks(raw: RawEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}
