import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { generateSigningKeySet } from '../../src/modules/auth/dev-keys.js';
import { configProblems as problemsOf } from '../support/config-problems.js';

const signingKeys = await generateSigningKeySet('hipaa-config-test');

/** A dev-tier service with Vault transit and session lifetimes inside HIPAA's caps. */
const hipaaEnv = {
  APP_ENV: 'dev',
  DATABASE_URL: 'postgresql://app:pw@db:5432/app',
  REDIS_URL: 'redis://redis:6379',
  JWT_SIGNING_KEYS: JSON.stringify(signingKeys.keys),
  VAULT_ADDR: 'https://vault.vault.svc:8200',
  VAULT_TOKEN: 'hvs.test',
  VAULT_KV_PATH: 'platform-api/dev',
  VAULT_TRANSIT_KEY: 'platform-api',
  HIPAA_MODE: 'true',
  ACCESS_TOKEN_TTL_SECONDS: '900',
  REFRESH_TOKEN_TTL_SECONDS: '43200',
  SESSION_IDLE_TIMEOUT_SECONDS: '1800',
  AUDIT_RETENTION_DAYS: '2192',
};

describe('HIPAA mode guardrails', () => {
  it('is off by default, and starts when transit encryption and session caps are in place', () => {
    expect(loadConfig({}).hipaa.enabled).toBe(false);
    const cfg = loadConfig(hipaaEnv);
    expect(cfg.hipaa.enabled).toBe(true);
    expect(cfg.fieldEncryption).toEqual({ kind: 'transit', mount: 'transit', key: 'platform-api' });
    expect(cfg.auth.sessionIdleTimeoutSeconds).toBe(1800);
  });

  it('refuses to start without Vault transit, even with a local field key', () => {
    expect(problemsOf({ ...hipaaEnv, VAULT_TRANSIT_KEY: undefined })).toEqual([
      'VAULT_TRANSIT_KEY: HIPAA_MODE encrypts personal fields with Vault transit; set VAULT_ADDR and VAULT_TRANSIT_KEY (a local FIELD_ENCRYPTION_KEYS key is not accepted)',
    ]);
    expect(
      problemsOf({
        ...hipaaEnv,
        VAULT_ADDR: undefined,
        VAULT_TOKEN: undefined,
        VAULT_KV_PATH: undefined,
        VAULT_TRANSIT_KEY: undefined,
      }),
    ).toEqual([
      'VAULT_TRANSIT_KEY: HIPAA_MODE encrypts personal fields with Vault transit; set VAULT_ADDR and VAULT_TRANSIT_KEY (a local FIELD_ENCRYPTION_KEYS key is not accepted)',
    ]);
  });

  it('refuses an audit retention under six years (the tier default included), and accepts forever', () => {
    const sixYears =
      'AUDIT_RETENTION_DAYS: HIPAA_MODE keeps audit entries six years, at least 2192 days or 0 (forever)';
    expect(problemsOf({ ...hipaaEnv, AUDIT_RETENTION_DAYS: '2191' })).toEqual([`${sixYears} (is 2191)`]);
    expect(problemsOf({ ...hipaaEnv, AUDIT_RETENTION_DAYS: undefined })).toEqual([`${sixYears} (is 90)`]);
    expect(problemsOf({ ...hipaaEnv, AUDIT_RETENTION_DAYS: '0' })).toEqual([]);
  });

  it('refuses session lifetimes above the caps, naming the variable, the cap and the value', () => {
    expect(
      problemsOf({
        ...hipaaEnv,
        ACCESS_TOKEN_TTL_SECONDS: '901',
        REFRESH_TOKEN_TTL_SECONDS: '43201',
        SESSION_IDLE_TIMEOUT_SECONDS: '1801',
      }),
    ).toEqual([
      'ACCESS_TOKEN_TTL_SECONDS: HIPAA_MODE allows at most 900 (is 901)',
      'REFRESH_TOKEN_TTL_SECONDS: HIPAA_MODE allows at most 43200 (is 43201)',
      'SESSION_IDLE_TIMEOUT_SECONDS: HIPAA_MODE needs an idle limit between 1 and 1800 (is 1801)',
    ]);
  });

  it('refuses the defaults that are too long for it: a 30-day refresh token and no idle limit', () => {
    expect(
      problemsOf({
        ...hipaaEnv,
        ACCESS_TOKEN_TTL_SECONDS: undefined,
        REFRESH_TOKEN_TTL_SECONDS: undefined,
        SESSION_IDLE_TIMEOUT_SECONDS: undefined,
      }),
    ).toEqual([
      'REFRESH_TOKEN_TTL_SECONDS: HIPAA_MODE allows at most 43200 (is 2592000)',
      'SESSION_IDLE_TIMEOUT_SECONDS: HIPAA_MODE needs an idle limit between 1 and 1800 (is 0)',
    ]);
  });

  it('refuses error details in responses', () => {
    expect(problemsOf({ ...hipaaEnv, EXPOSE_ERROR_DETAILS: 'true' })).toEqual([
      'EXPOSE_ERROR_DETAILS: HIPAA_MODE never sends error details (they can quote personal data)',
    ]);
  });

  it('applies the same refusals in prod, beside the production ones', () => {
    const problems = problemsOf({ ...hipaaEnv, APP_ENV: 'prod', REFRESH_TOKEN_TTL_SECONDS: '86400' });
    expect(problems).toContain('REFRESH_TOKEN_TTL_SECONDS: HIPAA_MODE allows at most 43200 (is 86400)');
  });

  it('leaves everything as it was when off: the dev key, long sessions, no idle limit', () => {
    const cfg = loadConfig({
      ...hipaaEnv,
      HIPAA_MODE: 'false',
      VAULT_TRANSIT_KEY: undefined,
      REFRESH_TOKEN_TTL_SECONDS: '2592000',
      SESSION_IDLE_TIMEOUT_SECONDS: '0',
    });
    expect(cfg.fieldEncryption.kind).toBe('local');
    expect(cfg.auth.refreshTokenTtlSeconds).toBe(2592000);
  });
});
