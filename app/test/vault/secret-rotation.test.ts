import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretsChange } from '../../src/adapters/vault/secret-store.js';
import { VaultRuntime } from '../../src/adapters/vault/vault-runtime.js';
import { createLogger } from '../../src/observability/logger.js';
import { captureLogs } from '../support/log-capture.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kvPath, vaultSettings } from './vault-env.js';

const keySet = (kid: string) =>
  JSON.stringify([{ kid, alg: 'ES256', kty: 'EC', crv: 'P-256', d: `d-of-${kid}` }]);

describe('secret rotation', () => {
  let fake: VaultFake;
  let runtime: VaultRuntime;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    fake = await startVaultFake();
    fake.putSecret('secret', kvPath, {
      JWT_SIGNING_KEYS: keySet('k1'),
      JWT_ACTIVE_KID: 'k1',
      DATABASE_URL: 'x',
    });
    logs = captureLogs();
    const log = createLogger(
      { log: { level: 'debug', format: 'json' }, tier: 'dev', version: 't' },
      logs.stream,
    );
    runtime = new VaultRuntime(
      vaultSettings(fake, { VAULT_TOKEN: fake.issueToken({ ttl: 3600 }), VAULT_KV_REFRESH_MS: '150' }),
    );
    await runtime.start(log);
  });
  afterEach(async () => {
    runtime.close();
    await fake.stop();
  });

  it('reaches subscribers without a restart, naming only the keys that changed', async () => {
    const changes: SecretsChange[] = [];
    runtime.secrets.onSecretsChanged((change) => changes.push(change));
    fake.putSecret('secret', kvPath, {
      JWT_SIGNING_KEYS: keySet('k2'),
      JWT_ACTIVE_KID: 'k2',
      DATABASE_URL: 'x',
    });
    await expect.poll(() => changes.length, { timeout: 2000 }).toBe(1);
    expect(changes[0]?.changed).toEqual(['JWT_ACTIVE_KID', 'JWT_SIGNING_KEYS']);
    expect(changes[0]?.values.JWT_ACTIVE_KID).toBe('k2');
    expect(runtime.secrets.get('JWT_SIGNING_KEYS')).toBe(keySet('k2'));
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        msg: 'vault secrets changed',
        changed: ['JWT_ACTIVE_KID', 'JWT_SIGNING_KEYS'],
      }),
    );
  });

  it('says nothing when a re-read finds the same values', async () => {
    const changes: SecretsChange[] = [];
    runtime.secrets.onSecretsChanged((change) => changes.push(change));
    await expect.poll(() => fake.count(`secret/data/${kvPath}`), { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    expect(changes).toEqual([]);
  });

  it('keeps the last values while Vault cannot be read, and catches up when it can', async () => {
    fake.fault({ path: `secret/data/${kvPath}`, status: 503 });
    fake.putSecret('secret', kvPath, {
      JWT_SIGNING_KEYS: keySet('k3'),
      JWT_ACTIVE_KID: 'k3',
      DATABASE_URL: 'x',
    });
    await expect
      .poll(
        () =>
          logs.lines.filter((line) => line.msg === 'vault secrets re-read failed; keeping the last values')
            .length,
      )
      .toBeGreaterThanOrEqual(2);
    expect(runtime.secrets.get('JWT_ACTIVE_KID')).toBe('k1');
    fake.clearFaults();
    await expect.poll(() => runtime.secrets.get('JWT_ACTIVE_KID'), { timeout: 2000 }).toBe('k3');
  });

  it('a listener that throws neither stops the others nor the re-reads', async () => {
    const seen: string[] = [];
    runtime.secrets.onSecretsChanged(() => {
      throw new Error(`cannot parse ${keySet('k4')}`);
    });
    runtime.secrets.onSecretsChanged((change) => seen.push(change.values.JWT_ACTIVE_KID ?? ''));
    fake.putSecret('secret', kvPath, {
      JWT_SIGNING_KEYS: keySet('k4'),
      JWT_ACTIVE_KID: 'k4',
      DATABASE_URL: 'x',
    });
    await expect.poll(() => seen, { timeout: 2000 }).toEqual(['k4']);
    fake.putSecret('secret', kvPath, {
      JWT_SIGNING_KEYS: keySet('k5'),
      JWT_ACTIVE_KID: 'k5',
      DATABASE_URL: 'x',
    });
    await expect.poll(() => seen, { timeout: 2000 }).toEqual(['k4', 'k5']);
    expect(logs.text()).not.toContain('d-of-k4');
  });

  it('lets a subscriber unsubscribe', async () => {
    const seen: string[] = [];
    const unsubscribe = runtime.secrets.onSecretsChanged((change) => seen.push(...change.changed));
    unsubscribe();
    fake.putSecret('secret', kvPath, {
      JWT_SIGNING_KEYS: keySet('k6'),
      JWT_ACTIVE_KID: 'k6',
      DATABASE_URL: 'x',
    });
    await expect.poll(() => runtime.secrets.get('JWT_ACTIVE_KID'), { timeout: 2000 }).toBe('k6');
    expect(seen).toEqual([]);
  });
});
