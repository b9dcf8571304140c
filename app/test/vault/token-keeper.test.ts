import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultRuntime } from '../../src/adapters/vault/vault-runtime.js';
import { createLogger } from '../../src/observability/logger.js';
import { captureLogs } from '../support/log-capture.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kubernetesLogin, kvPath, vaultSettings } from './vault-env.js';

const logins = (fake: VaultFake) => fake.count('auth/kubernetes/login');
const renewals = (fake: VaultFake) => fake.count('auth/token/renew-self');
const backoff = { initialDelayMs: 100, maxDelayMs: 400 };

describe('Vault token lifetime', () => {
  let fake: VaultFake;
  let runtime: VaultRuntime | undefined;
  let logs: ReturnType<typeof captureLogs>;
  const log = () =>
    createLogger({ log: { level: 'debug', format: 'json' }, tier: 'dev', version: 'test' }, logs.stream);

  beforeEach(async () => {
    fake = await startVaultFake();
    fake.putSecret('secret', kvPath, { JWT_ACTIVE_KID: 'k1' });
    logs = captureLogs();
  });
  afterEach(async () => {
    runtime?.close();
    await fake.stop();
  });

  async function startRuntime(role: { ttl: number; maxTtl?: number }) {
    const { env } = kubernetesLogin(fake, role);
    runtime = new VaultRuntime(vaultSettings(fake, { ...env, VAULT_KV_REFRESH_MS: '60000' }));
    await runtime.start(log(), backoff);
    return runtime;
  }

  it('renews the token before it expires, so calls keep working past its first TTL', async () => {
    const vault = await startRuntime({ ttl: 2 });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(renewals(fake)).toBeGreaterThanOrEqual(2);
    expect(logins(fake)).toBe(1);
    await expect(vault.client.readSecret()).resolves.toMatchObject({ values: { JWT_ACTIVE_KID: 'k1' } });
  });

  it('logs in again when a renewal is refused', async () => {
    const vault = await startRuntime({ ttl: 2 });
    const first = fake.tokens.at(-1)!;
    fake.revokeToken(first);
    await expect.poll(() => logins(fake), { timeout: 5000 }).toBe(2);
    await vault.tokenKeeper?.settled();
    expect(vault.tokenKeeper?.state).toBe('valid');
    await vault.client.readSecret();
    expect(fake.requests.at(-1)?.token).not.toBe(first);
    expect(logs.lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['vault token renewal failed', 'vault token recovered']),
    );
  });

  it('keeps trying with backoff while Vault is down, and recovers once it is back', async () => {
    const vault = await startRuntime({ ttl: 2 });
    await fake.stop();
    await expect
      .poll(() => logs.lines.filter((line) => line.msg === 'vault token recovery failed; retrying').length, {
        timeout: 6000,
      })
      .toBeGreaterThanOrEqual(3);
    expect(vault.tokenKeeper?.state).toBe('recovering');
    await fake.start();
    await expect.poll(() => vault.tokenKeeper?.state, { timeout: 5000 }).toBe('valid');
    await expect(vault.client.readSecret()).resolves.toBeDefined();
    const delays = logs.lines.map((line) => line.retryInMs).filter((delay) => typeof delay === 'number');
    expect(Math.max(...(delays as number[]))).toBeLessThanOrEqual(400);
  });

  it('logs in again before the token reaches its max TTL, so no call meets an expired token', async () => {
    const vault = await startRuntime({ ttl: 2, maxTtl: 3 });
    await expect.poll(() => logins(fake), { timeout: 6000 }).toBe(2);
    await vault.tokenKeeper?.settled();
    await expect(vault.client.readSecret()).resolves.toBeDefined();
    expect(fake.requests.filter((request) => request.status === 403)).toEqual([]);
    expect(logs.lines.map((line) => line.msg)).toContain('vault token nears its max TTL; logging in again');
  });

  it('stops renewing when closed', async () => {
    const vault = await startRuntime({ ttl: 2 });
    vault.close();
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(renewals(fake)).toBe(0);
  });
});
