import bytes from 'bytes';
import { z } from 'zod';
import { apiKeyEnv } from './api-key-settings.js';
import { authEnv } from './auth-settings.js';
import { bool, csv, int } from './env-types.js';
import { errorReportingEnv } from './error-reporting-settings.js';
import { geoipEnv } from './geoip-settings.js';
import { hipaaEnv } from './hipaa-settings.js';
import { retentionEnv } from './retention-settings.js';
import { telemetryEnv } from './telemetry-settings.js';
import { tiers } from './tiers.js';
import { vaultEnv } from './vault-settings.js';

const size = z.string().transform((value, ctx) => {
  const parsed = bytes.parse(value);
  if (parsed === null || Number.isNaN(parsed) || parsed <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size such as 100kb or 1mb` });
    return z.NEVER;
  }
  return parsed;
});

/** `/api/v1/items=1mb,/api/v1/auth=16kb`: the longest matching prefix wins. */
const sizesByPrefix = csv.transform((pairs, ctx) =>
  pairs.flatMap((pair) => {
    const [prefix, limit] = pair.split('=');
    const parsed = limit ? bytes.parse(limit) : null;
    if (!prefix?.startsWith('/') || parsed === null || Number.isNaN(parsed)) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not <path-prefix>=<size>` });
      return [];
    }
    return [{ prefix, limit: parsed }];
  }),
);

const url = (protocols: string[]) =>
  z.url({
    protocol: new RegExp(`^(${protocols.join('|')})$`),
    error: `must be a ${protocols.join(' or ')} URL`,
  });

export const layerNames = [
  'securityHeaders',
  'rateLimit',
  'contentValidation',
  'clientIp',
  'authenticate',
  'trustedHost',
  'cors',
  'requestId',
  'requestLog',
  'requestMetrics',
  'metricsEndpoint',
  'serverSpan',
  'compression',
  'jsonOnce',
  'geoip',
] as const;
export type LayerName = (typeof layerNames)[number];

/** Every variable the service reads. `.env.example` documents each one. */
export const envSchema = z.object({
  APP_ENV: z.enum(tiers),
  APP_VERSION: z.string().default('0.0.0-dev'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(0, 65_535).default(3000),

  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  LOG_FORMAT: z.enum(['json', 'pretty']),
  EXPOSE_ERROR_DETAILS: bool.default(false),

  DATABASE_KIND: z.enum(['postgres', 'pglite']),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_DIRECT_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_MAX: int(1, 500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 60_000).default(3000),
  DB_SLOW_QUERY_MS: int(0, 600_000).default(200),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),

  REDIS_URL: url(['redis', 'rediss']).optional(),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 10_000).default(250),
  /** Namespace of every key this service writes, so several services (or tests) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).default('platform-api'),

  RATE_LIMIT_STORE: z.enum(['memory', 'redis']),
  RATE_LIMIT_MAX: int(1, 1_000_000).default(600),
  RATE_LIMIT_WINDOW_MS: int(1000, 86_400_000).default(60_000),
  RATE_LIMIT_ON_STORE_FAILURE: z.enum(['open', 'closed']),
  /** Stricter limit for /api/v1/auth/* (password guessing, token minting), per client IP. */
  RATE_LIMIT_AUTH_MAX: int(1, 1_000_000).default(30),
  RATE_LIMIT_AUTH_WINDOW_MS: int(1000, 86_400_000).default(60_000),
  /**
   * How the global per-client limit reaches a Redis store: `batched` counts locally and syncs in batches (no
   * round trip per request; replicas may admit a bounded number over the limit, see http/README.md),
   * `per-request` asks Redis on every request (exact). The auth policies are always per request.
   */
  RATE_LIMIT_SYNC: z.enum(['batched', 'per-request']).default('batched'),
  /** Unsynced admissions a replica may hold, as a fraction of RATE_LIMIT_MAX (at least one request). */
  RATE_LIMIT_SYNC_BATCH_FRACTION: z.coerce.number().gt(0).max(1).default(0.05),
  RATE_LIMIT_SYNC_INTERVAL_MS: int(10, 60_000).default(100),

  OUTBOX_RELAY_INTERVAL_MS: int(50, 60_000).default(500),
  OUTBOX_RELAY_BATCH: int(1, 1000).default(100),
  JOB_ATTEMPTS: int(1, 100).default(5),
  JOB_BACKOFF_MS: int(10, 600_000).default(1000),
  WORKER_PORT: int(0, 65_535).default(3001),
  WORKER_CONCURRENCY: int(1, 100).default(5),
  /** How long a job may run without its worker renewing the lock before another worker takes it over. */
  WORKER_LOCK_DURATION_MS: int(500, 600_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: int(200, 600_000).default(30_000),

  CACHE_ENABLED: bool.default(true),
  CACHE_TTL_SECONDS: int(1, 86_400).default(60),

  BODY_LIMIT: size.default(100 * 1024),
  BODY_LIMITS_BY_PREFIX: sizesByPrefix,
  TRUSTED_PROXIES: csv,
  PROXY_MAX_IPS: int(0, 32).default(1),
  ALLOWED_HOSTS: csv,
  CORS_ORIGINS: csv,
  HSTS_ENABLED: bool.default(false),
  HTTP_LAYERS_DISABLED: csv.pipe(z.array(z.enum(layerNames))),
  COMPRESSION_ENABLED: bool.default(true),
  /** Smaller bodies go out as they are: the encoding's framing would outweigh what it saves. */
  COMPRESSION_THRESHOLD_BYTES: int(0, 100 * 1024 * 1024).default(1024),

  DOCS_ENABLED: bool,

  JWT_ISSUER: z.string().min(1).default('platform-api'),
  JWT_AUDIENCE: z.string().min(1).default('platform-api'),
  /** JSON array of private JWKs (EC P-256 / Ed25519), each with `kid` and `alg`; usually from Vault. */
  JWT_SIGNING_KEYS: z.string().optional(),
  /** The kid that signs new tokens; the others only verify until their tokens expire. */
  JWT_ACTIVE_KID: z.string().optional(),
  /** Local tier only: where the generated development key pair is kept. */
  JWT_KEYS_FILE: z.string().min(1).default('.data/jwt-keys.json'),
  /** When Redis cannot say whether a session was revoked: open (serve; token expiry bounds it) or closed (503). */
  REVOCATION_ON_STORE_FAILURE: z.enum(['open', 'closed']),
  ACCESS_TOKEN_TTL_SECONDS: int(60, 86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: int(300, 31_536_000).default(2_592_000),
  REGISTRATION_ENABLED: bool.default(true),
  /** Registrations per client address per window: bounds argon2 work and email probing by one client. */
  REGISTRATION_MAX_PER_CLIENT: int(1, 1_000_000).default(10),
  REGISTRATION_WINDOW_SECONDS: int(1, 86_400).default(3600),
  /** Failed logins one client may make against one account per window (a typo never locks the owner out). */
  LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_CLIENT: int(1, 1000).default(5),
  /** Failed logins one client may make across all accounts per window (credential stuffing). */
  LOGIN_MAX_FAILURES_PER_CLIENT: int(1, 100_000).default(50),
  LOGIN_FAILURE_WINDOW_SECONDS: int(1, 86_400).default(900),
  /** Failed logins per account from every client together (ASVS 2.2.1: at most 100 an hour); beyond it, slowed. */
  LOGIN_ACCOUNT_CEILING: int(1, 100_000).default(100),
  LOGIN_ACCOUNT_CEILING_WINDOW_SECONDS: int(1, 86_400).default(3600),
  /** Opt-in: a Pwned Passwords range API (k-anonymity) new passwords are checked against; unset = no lookup. */
  PASSWORD_BREACH_LOOKUP_URL: url(['http', 'https']).optional(),
  /** The lookup fails open after this long (the bundled common-password list still applies). */
  PASSWORD_BREACH_LOOKUP_TIMEOUT_MS: int(50, 10_000).default(1500),
  /** Local tier only: the admin created on first start (its password is printed once). */
  SEED_ADMIN_EMAIL: z.email().default('admin@example.com'),
  READINESS_TIMEOUT_MS: int(50, 30_000).default(1000),
  /** How long a readiness result is reused: probes cannot make the service ping its dependencies faster. */
  READINESS_CACHE_MS: int(0, 60_000).default(1000),
  SHUTDOWN_TIMEOUT_MS: int(0, 300_000).default(10_000),

  ...apiKeyEnv,
  ...vaultEnv,
  ...telemetryEnv,
  ...errorReportingEnv,
  ...authEnv,
  ...hipaaEnv,
  ...geoipEnv,
  ...retentionEnv,
});

export type Env = z.output<typeof envSchema>;
