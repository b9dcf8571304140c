import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VaultClient } from '../../src/adapters/vault/vault-client.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kvPath, vaultSettings } from './vault-env.js';

const secretPath = `secret/data/${kvPath}`;

async function failures(client: VaultClient, times: number) {
  const messages: string[] = [];
  for (let i = 0; i < times; i++) {
    messages.push(
      await client.readSecret().then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    );
  }
  return messages;
}

describe('Vault circuit breaker', () => {
  let fake: VaultFake;
  let token: string;
  beforeAll(async () => {
    fake = await startVaultFake();
    token = fake.issueToken();
    fake.putSecret('secret', kvPath, { DATABASE_URL: 'postgresql://app:pw@db/app' });
  });
  afterEach(() => fake.clearFaults());
  afterAll(() => fake.stop());

  it('opens after consecutive 5xx answers; calls then fail in milliseconds without reaching Vault', async () => {
    const client = new VaultClient(vaultSettings(fake, { VAULT_TOKEN: token, VAULT_BREAKER_FAILURES: '3' }));
    fake.fault({ path: secretPath, status: 503, errors: ['Vault is sealed'] });
    expect(await failures(client, 3)).toEqual(Array(3).fill('vault kv read: 503 Vault is sealed'));
    expect(client.breakerState).toBe('open');

    const reached = fake.count(secretPath);
    const started = performance.now();
    expect(await failures(client, 20)).toEqual(
      Array(20).fill('vault kv read: circuit open after repeated failures; not calling Vault'),
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(fake.count(secretPath)).toBe(reached);
  });

  it('opens on timeouts too, so a hanging Vault stops costing the request timeout', async () => {
    const client = new VaultClient(
      vaultSettings(fake, {
        VAULT_TOKEN: token,
        VAULT_BREAKER_FAILURES: '2',
        VAULT_REQUEST_TIMEOUT_MS: '150',
      }),
    );
    fake.fault({ path: secretPath, delayMs: 2000 });
    await failures(client, 2);
    const started = performance.now();
    await failures(client, 1);
    expect(performance.now() - started).toBeLessThan(50);
    expect(client.breakerState).toBe('open');
  });

  it('closes again once a half-open trial call succeeds', async () => {
    const client = new VaultClient(
      vaultSettings(fake, {
        VAULT_TOKEN: token,
        VAULT_BREAKER_FAILURES: '2',
        VAULT_BREAKER_HALF_OPEN_MS: '200',
      }),
    );
    const states: string[] = [];
    client.onBreakerStateChange((state) => states.push(state));
    fake.fault({ path: secretPath, status: 500 });
    await failures(client, 2);
    fake.clearFaults();
    expect(await failures(client, 1)).toEqual([expect.stringContaining('circuit open')]);

    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await failures(client, 1)).toEqual(['ok']);
    expect(client.breakerState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('stays open when the half-open trial call fails', async () => {
    const client = new VaultClient(
      vaultSettings(fake, {
        VAULT_TOKEN: token,
        VAULT_BREAKER_FAILURES: '2',
        VAULT_BREAKER_HALF_OPEN_MS: '100',
      }),
    );
    fake.fault({ path: secretPath, status: 502 });
    await failures(client, 2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await failures(client, 2)).toEqual([
      'vault kv read: 502',
      expect.stringContaining('circuit open'),
    ]);
  });

  it('is not opened by answers such as 403 or 404', async () => {
    const client = new VaultClient(
      vaultSettings(fake, {
        VAULT_TOKEN: token,
        VAULT_BREAKER_FAILURES: '2',
        VAULT_KV_PATH: 'platform-api/none',
      }),
    );
    expect(await failures(client, 5)).toEqual(Array(5).fill('vault kv read: 404'));
    const denied = new VaultClient(
      vaultSettings(fake, { VAULT_TOKEN: 'hvs.revoked', VAULT_BREAKER_FAILURES: '2' }),
    );
    expect(await failures(denied, 5)).toEqual(Array(5).fill('vault kv read: 403 permission denied'));
    expect([client.breakerState, denied.breakerState]).toEqual(['closed', 'closed']);
  });
});
