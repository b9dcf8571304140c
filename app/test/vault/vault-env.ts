import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readVaultSettings, type VaultSettings } from '../../src/config/index.js';
import { sharedRedisUrl } from '../support/test-app.js';
import type { VaultFake } from '../support/vault-fake.js';

export const kvPath = 'platform-api/dev';
export const transitKey = 'platform-api';

/** The Vault variables of a dev-tier service pointed at the fake, with short timeouts so failures show fast. */
export function vaultEnv(fake: VaultFake, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    APP_ENV: 'dev',
    VAULT_ADDR: fake.url,
    VAULT_AUTH_METHOD: 'token',
    VAULT_KV_PATH: kvPath,
    VAULT_TRANSIT_KEY: transitKey,
    VAULT_REQUEST_TIMEOUT_MS: '300',
    VAULT_BREAKER_FAILURES: '3',
    VAULT_BREAKER_HALF_OPEN_MS: '300',
    ...overrides,
  };
}

export function vaultSettings(fake: VaultFake, overrides: Record<string, string> = {}): VaultSettings {
  const settings = readVaultSettings(vaultEnv(fake, overrides));
  if (!settings) throw new Error('Vault settings expected');
  return settings;
}

/** A Kubernetes role on the fake and the pod's service-account token file that it accepts. */
export function kubernetesLogin(fake: VaultFake, role: { ttl: number; maxTtl?: number }) {
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${crypto.randomUUID()}.service-account-signature`;
  fake.addKubernetesRole('kubernetes', 'platform-api', { jwt, ...role });
  const tokenPath = join(mkdtempSync(join(tmpdir(), 'sa-')), 'token');
  writeFileSync(tokenPath, `${jwt}\n`);
  return {
    jwt,
    env: { VAULT_AUTH_METHOD: 'kubernetes', VAULT_K8S_ROLE: 'platform-api', VAULT_K8S_TOKEN_PATH: tokenPath },
  };
}

/** A JWT signing key set as the service expects it from Vault: private JWKs with kid and alg. */
export function signingKeys(kid = `kid-${crypto.randomUUID().slice(0, 8)}`) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256' };
  return { JWT_SIGNING_KEYS: JSON.stringify([jwk]), JWT_ACTIVE_KID: kid, privateD: String(jwk.d) };
}

/** What a dev service needs besides Vault to pass configuration (its secrets may come from Vault instead). */
export function devBase(): Record<string, string> {
  const { JWT_SIGNING_KEYS, JWT_ACTIVE_KID } = signingKeys();
  return { REDIS_URL: 'redis://127.0.0.1:6379', JWT_SIGNING_KEYS, JWT_ACTIVE_KID };
}

/**
 * What a cluster-tier service reads from Vault KV at start: the database URL (with a password trust auth ignores,
 * so tests can look for it in what the service emits), Redis, a signing key set.
 */
export function putServiceSecrets(fake: VaultFake, databaseUrl: string) {
  const keys = signingKeys();
  const url = new URL(databaseUrl);
  url.password = `db-pw-${crypto.randomUUID()}`;
  fake.putSecret('secret', kvPath, {
    DATABASE_URL: url.toString(),
    REDIS_URL: sharedRedisUrl,
    JWT_SIGNING_KEYS: keys.JWT_SIGNING_KEYS,
    JWT_ACTIVE_KID: keys.JWT_ACTIVE_KID,
  });
  return { keys, databasePassword: url.password };
}
