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
 * Defaults per tier, as environment-variable strings so that one schema parses defaults and overrides alike.
 * Explicit variables (or .env) override any of these.
 */
export const tierDefaults: Record<Tier, Record<string, string>> = {
  local: {
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'pretty',
    DATABASE_KIND: 'pglite',
    RATE_LIMIT_STORE: 'memory',
    RATE_LIMIT_ON_STORE_FAILURE: 'open',
    DOCS_ENABLED: 'true',
    ALLOWED_HOSTS: 'localhost,127.0.0.1,[::1]',
    CORS_ORIGINS: 'http://localhost:3000,http://127.0.0.1:3000',
    EXPOSE_ERROR_DETAILS: 'true',
  },
  dev: {
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
    DATABASE_KIND: 'postgres',
    RATE_LIMIT_STORE: 'redis',
    RATE_LIMIT_ON_STORE_FAILURE: 'open',
    DOCS_ENABLED: 'true',
  },
  staging: {
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATABASE_KIND: 'postgres',
    RATE_LIMIT_STORE: 'redis',
    RATE_LIMIT_ON_STORE_FAILURE: 'open',
    DOCS_ENABLED: 'true',
  },
  prod: {
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATABASE_KIND: 'postgres',
    RATE_LIMIT_STORE: 'redis',
    RATE_LIMIT_ON_STORE_FAILURE: 'closed',
    DOCS_ENABLED: 'false',
    HSTS_ENABLED: 'true',
  },
};
