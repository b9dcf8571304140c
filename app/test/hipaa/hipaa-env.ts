import type { VaultFake } from '../support/vault-fake.js';
import { kvPath, vaultEnv } from '../vault/vault-env.js';

/**
 * What HIPAA mode needs to start: fields encrypted by the Vault fake's transit, sessions within the caps, six
 * years of audit history.
 */
export function hipaaEnv(fake: VaultFake, overrides: Record<string, string> = {}): Record<string, string> {
  // The test app takes its secrets from the environment; Vault's KV only has to be readable.
  fake.putSecret('secret', kvPath, {});
  return {
    // A shared test machine answers slower than vaultEnv's fail-fast timeout allows.
    ...vaultEnv(fake, { VAULT_TOKEN: fake.issueToken({ ttl: 3600 }), VAULT_REQUEST_TIMEOUT_MS: '5000' }),
    HIPAA_MODE: 'true',
    ACCESS_TOKEN_TTL_SECONDS: '900',
    REFRESH_TOKEN_TTL_SECONDS: '43200',
    SESSION_IDLE_TIMEOUT_SECONDS: '1800',
    AUDIT_RETENTION_DAYS: '2192',
    ...overrides,
  };
}
