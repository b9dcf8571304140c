import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransitFieldCipher } from '../../src/adapters/crypto/transit-field-cipher.js';
import { VaultRuntime } from '../../src/adapters/vault/vault-runtime.js';
import { createLogger } from '../../src/observability/logger.js';
import { captureLogs } from '../support/log-capture.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kubernetesLogin, kvPath, signingKeys, vaultSettings } from './vault-env.js';

describe('secret values in logs', () => {
  let fake: VaultFake;
  beforeAll(async () => {
    fake = await startVaultFake();
  });
  afterAll(() => fake.stop());

  it('appear in no captured log line through login, renewal failure, rotation, outages and a rejected change', async () => {
    const logs = captureLogs();
    const log = createLogger(
      { log: { level: 'trace', format: 'json' }, tier: 'dev', version: 't' },
      logs.stream,
    );
    const login = kubernetesLogin(fake, { ttl: 2 });
    const first = signingKeys('k1');
    const second = signingKeys('k2');
    const databasePassword = `db-${crypto.randomUUID()}`;
    fake.putSecret('secret', kvPath, {
      DATABASE_URL: `postgresql://app:${databasePassword}@db/app`,
      JWT_SIGNING_KEYS: first.JWT_SIGNING_KEYS,
      JWT_ACTIVE_KID: 'k1',
    });
    const vault = new VaultRuntime(
      vaultSettings(fake, { ...login.env, VAULT_KV_REFRESH_MS: '100', VAULT_BREAKER_HALF_OPEN_MS: '100' }),
    );
    const tokens = new Set<string>();
    try {
      await vault.start(log, { initialDelayMs: 50, maxDelayMs: 100 });
      for (const token of fake.tokens) tokens.add(token);
      vault.secrets.onSecretsChanged((change) => {
        throw new Error(`refusing ${change.values.JWT_SIGNING_KEYS}`);
      });

      // Renewal refused -> new login.
      fake.revokeToken(fake.tokens.at(-1)!);
      await expect.poll(() => fake.count('auth/kubernetes/login'), { timeout: 5000 }).toBe(2);
      for (const token of fake.tokens) tokens.add(token);

      // Rotation, seen by the re-read, rejected by a listener that quotes the value.
      fake.putSecret('secret', kvPath, {
        DATABASE_URL: `postgresql://app:${databasePassword}@db/app`,
        JWT_SIGNING_KEYS: second.JWT_SIGNING_KEYS,
        JWT_ACTIVE_KID: 'k2',
      });
      await expect.poll(() => vault.secrets.get('JWT_ACTIVE_KID'), { timeout: 3000 }).toBe('k2');

      // Vault failing: re-reads fail, the circuit opens, transit fails.
      fake.fault({ path: /.*/, status: 503, errors: ['Vault is sealed'] });
      const cipher = new TransitFieldCipher(vault.client, { mount: 'transit', key: 'platform-api' });
      await cipher.encrypt('Ada Lovelace, 10 Dec 1815').catch(() => undefined);
      await expect
        .poll(() => logs.lines.some((line) => String(line.msg).startsWith('vault circuit open')), {
          timeout: 3000,
        })
        .toBe(true);
      fake.clearFaults();
      await expect.poll(() => vault.client.breakerState, { timeout: 3000 }).toBe('closed');
    } finally {
      vault.close();
    }

    expect(logs.lines.length).toBeGreaterThan(5);
    const text = logs.text();
    const secrets = [
      ...tokens,
      login.jwt,
      databasePassword,
      first.privateD,
      second.privateD,
      'Ada Lovelace',
      Buffer.from('Ada Lovelace, 10 Dec 1815').toString('base64'),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('vault secrets changed');
    expect(text).toContain('vault token recovered');
  });
});
