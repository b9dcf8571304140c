/** The four tiers, and the seed vocabulary that maps onto them. */
export const tiers = ['local', 'dev', 'staging', 'prod'] as const;
export type Tier = (typeof tiers)[number];

export const tierAliases: Record<string, Tier> = {
  local: 'local',
  development: 'local',
  dev: 'dev',
  integration: 'dev',
  staging: 'staging',
  prod: 'prod',
  production: 'prod',
};

/**
 * The local and dev tiers' field-encryption key ("development-key-not-a-secret-32b"): public by design, so a
 * laptop needs nothing set up. Staging and prod never get a default; prod refuses anything but Vault transit.
 */
export const developmentFieldKey = 'ZGV2ZWxvcG1lbnQta2V5LW5vdC1hLXNlY3JldC0zMmI=';

/**
 * Defaults per tier, as environment-variable strings so that one schema parses defaults and overrides alike.
 * Explicit variables (or .env) override any of these.
 */
export const tierDefaults: Record<Tier, Record<string, string>> = {
  local: {
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'pretty',
    DATABASE_KIND: 'pglite',
    DB_SLOW_QUERY_MS: '100',
    RATE_LIMIT_STORE: 'memory',
    RATE_LIMIT_ON_STORE_FAILURE: 'open',
    REVOCATION_ON_STORE_FAILURE: 'open',
    DOCS_ENABLED: 'true',
    ALLOWED_HOSTS: 'localhost,127.0.0.1,[::1]',
    CORS_ORIGINS: 'http://localhost:3000,http://127.0.0.1:3000',
    EXPOSE_ERROR_DETAILS: 'true',
    VAULT_AUTH_METHOD: 'token',
    VAULT_START_ATTEMPTS: '6',
    FIELD_ENCRYPTION_KEYS: developmentFieldKey,
    AUDIT_RETENTION_DAYS: '90',
    EVENTS_RETENTION_DAYS: '7',
  },
  dev: {
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
    DATABASE_KIND: 'postgres',
    // A small, idle database: a statement this slow here is a missing index, worth seeing before staging does.
    DB_SLOW_QUERY_MS: '100',
    RATE_LIMIT_STORE: 'redis',
    RATE_LIMIT_ON_STORE_FAILURE: 'open',
    REVOCATION_ON_STORE_FAILURE: 'open',
    DOCS_ENABLED: 'true',
    VAULT_AUTH_METHOD: 'token',
    VAULT_START_ATTEMPTS: '6',
    FIELD_ENCRYPTION_KEYS: developmentFieldKey,
    // Test data: a quarter of audit history and a week of events are enough to debug with.
    AUDIT_RETENTION_DAYS: '90',
    EVENTS_RETENTION_DAYS: '7',
  },
  staging: {
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATABASE_KIND: 'postgres',
    RATE_LIMIT_STORE: 'redis',
    // Staging behaves as prod does in a Redis outage, so the outage is rehearsed before prod meets it.
    RATE_LIMIT_ON_STORE_FAILURE: 'closed',
    REVOCATION_ON_STORE_FAILURE: 'closed',
    DOCS_ENABLED: 'true',
    VAULT_AUTH_METHOD: 'kubernetes',
    VAULT_START_ATTEMPTS: '1',
    VAULT_REQUIRED_SECRETS: 'DATABASE_URL,JWT_SIGNING_KEYS',
    API_KEY_MAX_TTL_DAYS: '90',
  },
  prod: {
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATABASE_KIND: 'postgres',
    RATE_LIMIT_STORE: 'redis',
    RATE_LIMIT_ON_STORE_FAILURE: 'closed',
    REVOCATION_ON_STORE_FAILURE: 'closed',
    DOCS_ENABLED: 'false',
    HSTS_ENABLED: 'true',
    VAULT_AUTH_METHOD: 'kubernetes',
    VAULT_START_ATTEMPTS: '1',
    VAULT_REQUIRED_SECRETS: 'DATABASE_URL,JWT_SIGNING_KEYS',
    // A leaked key works until it expires or someone notices: in prod it must be re-issued at least quarterly.
    API_KEY_MAX_TTL_DAYS: '90',
  },
};
