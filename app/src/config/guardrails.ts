import { hipaaAuditRetentionDays, hipaaSessionCaps } from './hipaa-settings.js';
import type { Env } from './schema.js';

/** Passwords that ship in examples and quick-starts; production must never run with one of them. */
const defaultSecrets = new Set([
  '',
  'postgres',
  'password',
  'secret',
  'change-me',
  'changeme',
  'redis',
  'admin',
]);

const passwordOf = (url: string | undefined) => (url ? decodeURIComponent(new URL(url).password) : undefined);
const userOf = (url: string) => decodeURIComponent(new URL(url).username);

function signingKeysParse(json: string, activeKid: string | undefined): boolean {
  try {
    const keys = JSON.parse(json) as { kid?: unknown; alg?: unknown }[];
    const wellFormed =
      Array.isArray(keys) && keys.every((key) => typeof key.kid === 'string' && typeof key.alg === 'string');
    return wellFormed && keys.some((key) => key.kid === (activeKid ?? keys[0]?.kid));
  } catch {
    return false;
  }
}

/** Settings that only make sense together, whatever the tier. */
export function requirementProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.DATABASE_KIND === 'postgres' && !env.DATABASE_URL) {
    problems.push('DATABASE_URL: required when DATABASE_KIND is postgres (the pooled PgBouncer URL)');
  }
  if (env.APP_ENV !== 'local' && !env.JWT_SIGNING_KEYS) {
    problems.push(
      'JWT_SIGNING_KEYS: required outside local (a JSON array of private JWKs, usually from Vault)',
    );
  }
  if (env.JWT_SIGNING_KEYS && !signingKeysParse(env.JWT_SIGNING_KEYS, env.JWT_ACTIVE_KID)) {
    problems.push(
      'JWT_SIGNING_KEYS: must be a JSON array of JWKs with kid and alg, one of them JWT_ACTIVE_KID',
    );
  }
  if (env.RATE_LIMIT_STORE === 'redis' && !env.REDIS_URL) {
    problems.push('REDIS_URL: required when RATE_LIMIT_STORE is redis');
  }
  return problems;
}

/** Authentication is off on a developer's machine only: every other tier is reachable by someone else. */
export function authProblems(env: Env): string[] {
  return !env.AUTH_ENABLED && env.APP_ENV !== 'local'
    ? [
        `AUTH_ENABLED: false is for the local tier only (APP_ENV=local, \`npm start\`), not ${env.APP_ENV}; remove AUTH_ENABLED or set it to true`,
      ]
    : [];
}

/** What production refuses to start with: each line says what to change. */
export function productionProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.DATABASE_KIND !== 'postgres')
    problems.push('DATABASE_KIND: prod runs on postgres, not the embedded database');
  for (const key of ['DATABASE_URL', 'DATABASE_DIRECT_URL', 'REDIS_URL'] as const) {
    const password = passwordOf(env[key]);
    if (env[key] && (password === undefined || defaultSecrets.has(password.toLowerCase()))) {
      problems.push(`${key}: prod needs a real password in this URL, not a missing or default one`);
    }
  }
  // Migrations log in as the owner of every table; the service must not (an owner can disable the audit
  // trigger or drop the table): it logs in as the runtime role (migration 20261204120000_runtime_role).
  if (
    env.DATABASE_URL &&
    env.DATABASE_DIRECT_URL &&
    userOf(env.DATABASE_URL) === userOf(env.DATABASE_DIRECT_URL)
  ) {
    problems.push(
      'DATABASE_URL: prod logs in as the runtime role, not as the user migrations use (DATABASE_DIRECT_URL, the owner)',
    );
  }
  if (env.CORS_ORIGINS.some((origin) => origin.includes('*'))) {
    problems.push('CORS_ORIGINS: prod needs explicit origins, not a wildcard');
  }
  if (env.DOCS_ENABLED) problems.push('DOCS_ENABLED: the API docs page must be off in prod');
  if (env.REVOCATION_ON_STORE_FAILURE !== 'closed')
    problems.push(
      'REVOCATION_ON_STORE_FAILURE: prod fails closed (503) when revoked sessions cannot be checked, never open',
    );
  if (env.EXPOSE_ERROR_DETAILS)
    problems.push('EXPOSE_ERROR_DETAILS: stack traces must not leave the process in prod');
  if (!env.VAULT_ADDR) {
    problems.push('VAULT_ADDR: prod reads its secrets from Vault; set the Vault address');
  } else {
    if (env.VAULT_AUTH_METHOD !== 'kubernetes')
      problems.push(
        'VAULT_AUTH_METHOD: prod logs in with its Kubernetes service account, not a static token',
      );
    if (!env.VAULT_TRANSIT_KEY)
      problems.push('VAULT_TRANSIT_KEY: prod encrypts fields with Vault transit, not a local key');
  }
  return problems;
}

/** What HIPAA mode refuses to start with, in any tier: each line says what to change. */
export function hipaaProblems(env: Env): string[] {
  if (!env.HIPAA_MODE) return [];
  const problems: string[] = [];
  if (!env.VAULT_ADDR || !env.VAULT_TRANSIT_KEY)
    problems.push(
      'VAULT_TRANSIT_KEY: HIPAA_MODE encrypts personal fields with Vault transit; set VAULT_ADDR and VAULT_TRANSIT_KEY (a local FIELD_ENCRYPTION_KEYS key is not accepted)',
    );
  for (const key of ['ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_SECONDS'] as const) {
    if (env[key] > hipaaSessionCaps[key])
      problems.push(`${key}: HIPAA_MODE allows at most ${hipaaSessionCaps[key]} (is ${env[key]})`);
  }
  if (env.EXPOSE_ERROR_DETAILS)
    problems.push(
      'EXPOSE_ERROR_DETAILS: HIPAA_MODE never sends error details (they can quote personal data)',
    );
  const idle = env.SESSION_IDLE_TIMEOUT_SECONDS;
  if (idle === 0 || idle > hipaaSessionCaps.SESSION_IDLE_TIMEOUT_SECONDS)
    problems.push(
      `SESSION_IDLE_TIMEOUT_SECONDS: HIPAA_MODE needs an idle limit between 1 and ${hipaaSessionCaps.SESSION_IDLE_TIMEOUT_SECONDS} (is ${idle})`,
    );
  const audit = env.AUDIT_RETENTION_DAYS;
  if (audit !== 0 && audit < hipaaAuditRetentionDays)
    problems.push(
      `AUDIT_RETENTION_DAYS: HIPAA_MODE keeps audit entries six years, at least ${hipaaAuditRetentionDays} days or 0 (forever) (is ${audit})`,
    );
  return problems;
}
