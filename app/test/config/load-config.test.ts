import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, withDotEnv } from '../../src/config/index.js';
import { generateSigningKeySet } from '../../src/modules/auth/dev-keys.js';
import { configProblems as problemsOf } from '../support/config-problems.js';

const signingKeys = await generateSigningKeySet('config-test');

const prodEnv = {
  APP_ENV: 'prod',
  DATABASE_URL: 'postgresql://app:s3cure-Generated-pw@platform-db-pooler:5432/app',
  REDIS_URL: 'redis://:an0ther-Generated-pw@redis-master:6379',
  CORS_ORIGINS: 'https://app.example.com',
  VAULT_ADDR: 'https://vault.vault.svc:8200',
  VAULT_AUTH_METHOD: 'kubernetes',
  VAULT_K8S_ROLE: 'platform-api',
  VAULT_KV_PATH: 'platform-api/prod',
  VAULT_TRANSIT_KEY: 'platform-api',
  JWT_SIGNING_KEYS: JSON.stringify(signingKeys.keys),
};

describe('configuration', () => {
  it('starts in the local tier with the embedded database and in-memory rate limits when nothing is set', () => {
    const cfg = loadConfig({});
    expect(cfg.tier).toBe('local');
    expect(cfg.database).toEqual({ kind: 'pglite', dir: '.data/pglite' });
    expect(cfg.rateLimit.store).toBe('memory');
    expect(cfg.log.format).toBe('pretty');
    expect(cfg.docs.enabled).toBe(true);
  });

  it.each([
    ['development', 'local'],
    ['integration', 'dev'],
    ['staging', 'staging'],
    ['production', 'prod'],
    ['DEV', 'dev'],
  ])('maps the seed tier name %s onto %s', (name, tier) => {
    const env = {
      ...prodEnv,
      APP_ENV: name,
      DATABASE_URL: prodEnv.DATABASE_URL,
      REDIS_URL: prodEnv.REDIS_URL,
    };
    expect(loadConfig(env).tier).toBe(tier);
  });

  it('lets explicit variables override tier defaults', () => {
    const cfg = loadConfig({ ...prodEnv, APP_ENV: 'staging', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '7' });
    expect(cfg.log.level).toBe('warn');
    expect(cfg.rateLimit.max).toBe(7);
    expect(cfg.log.format).toBe('json');
  });

  it('parses lists, sizes and per-prefix body limits', () => {
    const cfg = loadConfig({
      ALLOWED_HOSTS: 'api.example.com, localhost',
      BODY_LIMIT: '64kb',
      BODY_LIMITS_BY_PREFIX: '/api/v1/items=1mb,/api/v1/auth=4kb',
    });
    expect(cfg.http.allowedHosts).toEqual(['api.example.com', 'localhost']);
    expect(cfg.http.bodyLimits.default).toBe(65_536);
    expect(cfg.http.bodyLimits.byPrefix).toEqual([
      { prefix: '/api/v1/items', limit: 1_048_576 },
      { prefix: '/api/v1/auth', limit: 4096 },
    ]);
  });

  it('returns a frozen object', () => {
    const cfg = loadConfig({});
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.http.allowedHosts)).toBe(true);
  });

  it('reports every invalid variable on its own line', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      BODY_LIMIT: 'huge',
      HTTP_LAYERS_DISABLED: 'cors,magic',
    });
    expect(problems).toHaveLength(4);
    expect(problems.find((line) => line.startsWith('PORT:'))).toBeDefined();
    expect(problems.find((line) => line.startsWith('LOG_LEVEL:'))).toBeDefined();
    expect(problems.find((line) => line.startsWith('BODY_LIMIT:'))).toContain('"huge"');
    expect(problems.find((line) => line.startsWith('HTTP_LAYERS_DISABLED'))).toBeDefined();
  });

  it('names the unknown tier', () => {
    expect(problemsOf({ APP_ENV: 'qa' })).toEqual([expect.stringContaining('"qa" is not one of')]);
  });

  it('requires the pooled database URL, the Redis URL and signing keys in cluster tiers', () => {
    expect(problemsOf({ APP_ENV: 'dev' })).toEqual([
      expect.stringMatching(/^DATABASE_URL: required/),
      expect.stringMatching(/^JWT_SIGNING_KEYS: required/),
      expect.stringMatching(/^REDIS_URL: required/),
    ]);
  });

  it('refuses signing keys that are not a JWK array containing the active kid', () => {
    const env = { ...prodEnv, APP_ENV: 'dev' };
    expect(problemsOf({ ...env, JWT_SIGNING_KEYS: '{not json' })).toEqual([
      expect.stringMatching(/^JWT_SIGNING_KEYS: must be/),
    ]);
    expect(problemsOf({ ...env, JWT_ACTIVE_KID: 'missing-kid' })).toEqual([
      expect.stringMatching(/^JWT_SIGNING_KEYS: must be/),
    ]);
  });

  it('uses the pooled URL for migrations only when no direct URL is given', () => {
    const cfg = loadConfig({
      ...prodEnv,
      APP_ENV: 'dev',
      DATABASE_DIRECT_URL: 'postgresql://app:x@platform-db-rw/app',
    });
    expect(cfg.database).toMatchObject({
      url: prodEnv.DATABASE_URL,
      directUrl: 'postgresql://app:x@platform-db-rw/app',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' }).http.port).toBe(3000);
  });
});

describe('production guardrails', () => {
  it('accepts a production configuration with real secrets and explicit origins', () => {
    expect(problemsOf(prodEnv)).toEqual([]);
  });

  it.each([
    [
      'a missing database password',
      { DATABASE_URL: 'postgresql://app@db:5432/app' },
      /^DATABASE_URL: prod needs/,
    ],
    [
      'a default database password',
      { DATABASE_URL: 'postgresql://app:postgres@db/app' },
      /^DATABASE_URL: prod needs/,
    ],
    ['a default Redis password', { REDIS_URL: 'redis://:changeme@redis:6379' }, /^REDIS_URL: prod needs/],
    ['a wildcard CORS origin', { CORS_ORIGINS: '*' }, /^CORS_ORIGINS: prod needs explicit origins/],
    ['the docs page', { DOCS_ENABLED: 'true' }, /^DOCS_ENABLED: /],
    ['stack traces in responses', { EXPOSE_ERROR_DETAILS: 'true' }, /^EXPOSE_ERROR_DETAILS: /],
    ['the embedded database', { DATABASE_KIND: 'pglite' }, /^DATABASE_KIND: /],
    // Finding 5 of the security review: the service must not log in as the owner migrations use.
    [
      'the service logging in as the migrations user',
      { DATABASE_DIRECT_URL: 'postgresql://app:an0ther-Owner-pw@platform-db-rw:5432/app' },
      /^DATABASE_URL: prod logs in as the runtime role/,
    ],
    // Finding 12 of the security review: a logged-out token must not pass while Redis is down.
    [
      'revocation failing open',
      { REVOCATION_ON_STORE_FAILURE: 'open' },
      /^REVOCATION_ON_STORE_FAILURE: prod /,
    ],
  ])('refuses %s', (_name, override, expected) => {
    expect(problemsOf({ ...prodEnv, ...override })).toEqual([expect.stringMatching(expected)]);
  });

  it('allows the same settings outside prod', () => {
    expect(problemsOf({ ...prodEnv, APP_ENV: 'staging', CORS_ORIGINS: '*', DOCS_ENABLED: 'true' })).toEqual(
      [],
    );
  });
});

describe('.env files', () => {
  it('fill variables the environment leaves unset, and never override real ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'LOG_LEVEL=warn\nPORT=4000\n');
    const cfg = loadConfig(withDotEnv({ PORT: '5000' }, file));
    expect(cfg.log.level).toBe('warn');
    expect(cfg.http.port).toBe(5000);
  });

  it('are optional', () => {
    expect(withDotEnv({ PORT: '1' }, '/nonexistent/.env')).toEqual({ PORT: '1' });
  });
});

describe('GeoIP configuration', () => {
  it('is off when no database path is set', () => {
    expect(loadConfig({}).http.geoip).toBeUndefined();
  });

  it('reads a deny list in any case, and serves unknown addresses by default', () => {
    const cfg = loadConfig({ GEOIP_DATABASE_PATH: 'countries.mmdb', GEOIP_DENY_COUNTRIES: 'fr, ru' });
    expect(cfg.http.geoip).toEqual({
      databasePath: 'countries.mmdb',
      policy: { kind: 'deny', countries: ['FR', 'RU'] },
      unknown: 'allow',
      reloadCheckMs: 60_000,
    });
  });

  it('with a database and no list, serves every country (counted only)', () => {
    const cfg = loadConfig({
      GEOIP_DATABASE_PATH: 'countries.mmdb',
      GEOIP_UNKNOWN: 'deny',
      GEOIP_RELOAD_CHECK_MS: '0',
    });
    expect(cfg.http.geoip).toEqual({
      databasePath: 'countries.mmdb',
      policy: { kind: 'deny', countries: [] },
      unknown: 'deny',
      reloadCheckMs: 0,
    });
  });

  it('refuses both lists at once', () => {
    expect(
      problemsOf({
        GEOIP_DATABASE_PATH: 'countries.mmdb',
        GEOIP_ALLOW_COUNTRIES: 'DE',
        GEOIP_DENY_COUNTRIES: 'FR',
      }),
    ).toEqual([
      'GEOIP_ALLOW_COUNTRIES: set it or GEOIP_DENY_COUNTRIES, not both (an allow list already refuses every other country)',
    ]);
  });

  it('refuses a list without a database', () => {
    expect(problemsOf({ GEOIP_ALLOW_COUNTRIES: 'DE' })).toEqual([
      'GEOIP_DATABASE_PATH: required when GEOIP_ALLOW_COUNTRIES or GEOIP_DENY_COUNTRIES is set',
    ]);
  });

  it('refuses anything but two-letter country codes, and an unknown GEOIP_UNKNOWN', () => {
    const problems = problemsOf({
      GEOIP_DATABASE_PATH: 'countries.mmdb',
      GEOIP_DENY_COUNTRIES: 'FR,France',
      GEOIP_UNKNOWN: 'maybe',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^GEOIP_DENY_COUNTRIES\.1: must be ISO 3166-1 alpha-2 country codes/),
      expect.stringMatching(/^GEOIP_UNKNOWN: /),
    ]);
  });
});
