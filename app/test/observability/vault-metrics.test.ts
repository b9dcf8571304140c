import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kubernetesLogin, kvPath, vaultEnv } from '../vault/vault-env.js';
import { sampleValue, scrape } from './scrape.js';

const expiry = 'vault_token_expiry_timestamp_seconds';
const loginFailures = 'vault_login_failures_total';

describe('Vault token metrics', () => {
  let fake: VaultFake;
  let app: TestApp | undefined;
  beforeEach(async () => {
    fake = await startVaultFake();
    fake.putSecret('secret', kvPath, { FEATURE_NOTE: 'from vault' });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.stop();
  });

  /** The service with a Kubernetes login on the fake, its dependencies opened as in production. */
  async function startWithVault(role: { ttl: number }) {
    // The Vault tests' 300 ms timeout fails a first login on a busy machine; these tests are not about timeouts.
    const env = { ...kubernetesLogin(fake, role).env, VAULT_REQUEST_TIMEOUT_MS: '5000' };
    app = await startTestApp(vaultEnv(fake, env));
    return app;
  }

  /** When the fake will expire the newest token, in unix seconds, as its lookup-self says. */
  async function fakeExpiry(): Promise<number> {
    const response = await fetch(`${fake.url}/v1/auth/token/lookup-self`, {
      headers: { 'X-Vault-Token': fake.tokens.at(-1)! },
    });
    const body = (await response.json()) as { data: { expire_time: string } };
    return Date.parse(body.data.expire_time) / 1000;
  }

  it("reports the token's expiry from the login's TTL, and no failed login", async () => {
    const before = Date.now() / 1000;
    const service = await startWithVault({ ttl: 600 });
    const after = Date.now() / 1000;
    const metrics = await scrape(service.url);
    expect(sampleValue(metrics, expiry)).toBeGreaterThanOrEqual(before + 600 - 1);
    expect(sampleValue(metrics, expiry)).toBeLessThanOrEqual(after + 600 + 1);
    expect(Math.abs(sampleValue(metrics, expiry) - (await fakeExpiry()))).toBeLessThan(1);
    expect(metrics[loginFailures]).toBeDefined();
    expect(sampleValue(metrics, loginFailures)).toBe(0);
  });

  it('moves the expiry with each renewal, and counts a refused login', async () => {
    const service = await startWithVault({ ttl: 3 });
    const atLogin = sampleValue(await scrape(service.url), expiry);
    await expect.poll(() => fake.count('auth/token/renew-self'), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    const gap = async () => Math.abs(sampleValue(await scrape(service.url), expiry) - (await fakeExpiry()));
    await expect.poll(gap, { timeout: 3000 }).toBeLessThan(1);
    expect(sampleValue(await scrape(service.url), expiry)).toBeGreaterThan(atLogin + 1);

    // The next renewal is refused (token revoked), and so is the first login after it; the second succeeds.
    fake.fault({ method: 'POST', path: 'auth/kubernetes/login', status: 403, times: 1 });
    fake.revokeToken(fake.tokens.at(-1)!);
    await expect.poll(() => fake.count('auth/kubernetes/login'), { timeout: 10_000 }).toBe(3);
    await expect
      .poll(async () => sampleValue(await scrape(service.url), loginFailures), { timeout: 3000 })
      .toBe(1);
    await expect.poll(gap, { timeout: 3000 }).toBeLessThan(1);
  });
});
