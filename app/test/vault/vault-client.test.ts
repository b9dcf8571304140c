import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VaultClient } from '../../src/adapters/vault/vault-client.js';
import { VaultError } from '../../src/adapters/vault/vault-error.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kubernetesLogin, kvPath, vaultSettings } from './vault-env.js';

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as VaultError;
  }
  throw new Error('expected a rejection');
};

describe('Vault client', () => {
  let fake: VaultFake;
  let token: string;
  beforeAll(async () => {
    fake = await startVaultFake();
    token = fake.issueToken({ ttl: 3600 });
    fake.putSecret('secret', kvPath, {
      DATABASE_URL: 'postgresql://app:kv-pw@db/app',
      FEATURE: { on: true },
    });
  });
  afterEach(() => fake.clearFaults());
  afterAll(() => fake.stop());

  it('reads the KV v2 secret with a token, objects as JSON text', async () => {
    const client = new VaultClient(vaultSettings(fake, { VAULT_TOKEN: token }));
    expect(await client.readSecret()).toEqual({
      version: 1,
      values: { DATABASE_URL: 'postgresql://app:kv-pw@db/app', FEATURE: '{"on":true}' },
    });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `secret/data/${kvPath}`, token });
  });

  it('logs in with the service-account token and uses the Vault token it receives', async () => {
    const { env } = kubernetesLogin(fake, { ttl: 60 });
    const client = new VaultClient(vaultSettings(fake, env));
    expect(await client.login()).toEqual({ ttlSeconds: 60, renewable: true });
    const issued = fake.tokens.at(-1);
    await client.readSecret();
    expect(fake.requests.at(-1)?.token).toBe(issued);
  });

  it('reports a refused login as a 403 answer, not as an outage', async () => {
    const { env } = kubernetesLogin(fake, { ttl: 60 });
    fake.addKubernetesRole('kubernetes', 'platform-api', { jwt: 'another-service-account', ttl: 60 });
    const error = await rejection(new VaultClient(vaultSettings(fake, env)).login());
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ status: 403, transient: false, deniedAccess: true });
    expect(error.message).toBe('vault kubernetes login: 403 permission denied');
  });

  it('reports a missing secret as 404', async () => {
    const client = new VaultClient(
      vaultSettings(fake, { VAULT_TOKEN: token, VAULT_KV_PATH: 'platform-api/none' }),
    );
    expect(await rejection(client.readSecret())).toMatchObject({ status: 404, transient: false });
  });

  it('gives up on a slow Vault after the request timeout', async () => {
    fake.fault({ path: `secret/data/${kvPath}`, delayMs: 3000 });
    const client = new VaultClient(
      vaultSettings(fake, { VAULT_TOKEN: token, VAULT_REQUEST_TIMEOUT_MS: '200' }),
    );
    const started = performance.now();
    const error = await rejection(client.readSecret());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ transient: true, status: undefined });
    expect(error.message).toMatch(/^vault kv read: (no answer within 200 ms|timeout of 200ms exceeded)$/);
  });

  it('keeps tokens, plaintexts and service-account tokens out of its errors', async () => {
    const { env, jwt } = kubernetesLogin(fake, { ttl: 60 });
    const client = new VaultClient(vaultSettings(fake, env));
    await client.login();
    const vaultToken = fake.tokens.at(-1)!;
    const plaintext = Buffer.from('Ada Lovelace, born 1815').toString('base64');
    fake.fault({ path: /^transit\/encrypt\//, status: 500, errors: ['internal error'] });
    const failures = [await rejection(client.encrypt('transit', 'platform-api', plaintext))];
    await fake.stop();
    failures.push(await rejection(client.encrypt('transit', 'platform-api', plaintext)));
    failures.push(await rejection(client.login()));
    await fake.start();
    for (const error of failures) {
      const rendered = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
      for (const secret of [vaultToken, plaintext, jwt]) expect(rendered).not.toContain(secret);
    }
    expect(failures.map((error) => error.message)).toEqual([
      'vault transit encrypt: 500 internal error',
      expect.stringMatching(/^vault transit encrypt: (socket hang up|.*ECONNREFUSED)/),
      expect.stringMatching(/^vault kubernetes login: .*ECONNREFUSED/),
    ]);
  });
});
