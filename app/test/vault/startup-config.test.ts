import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { environmentWithVault, loadStartupConfig } from '../../src/adapters/vault/startup-config.js';
import {
  type ConfigError,
  loadConfig,
  readVaultSettings,
  SecretsUnavailable,
} from '../../src/config/index.js';
import { configProblems as problemsOf } from '../support/config-problems.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { devBase, kvPath, vaultEnv } from './vault-env.js';

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
};

describe('configuration from Vault at start', () => {
  let fake: VaultFake;
  let token: string;
  beforeAll(async () => {
    fake = await startVaultFake();
    token = fake.issueToken({ ttl: 3600 });
  });
  afterEach(() => fake.clearFaults());
  afterAll(() => fake.stop());

  it('layers Vault over the environment: Vault wins, the rest stays', async () => {
    fake.putSecret('secret', kvPath, {
      DATABASE_URL: 'postgresql://app:from-vault@db-pooler/app',
      REDIS_PASSWORD: 'redis-from-vault',
    });
    const { cfg, vault } = await loadStartupConfig(
      vaultEnv(fake, {
        ...devBase(),
        VAULT_TOKEN: token,
        DATABASE_URL: 'postgresql://app:from-env@db-pooler/app',
        DATABASE_DIRECT_URL: 'postgresql://app:direct-from-env@db-rw/app',
        REDIS_URL: 'redis://redis-master:6379',
      }),
    );
    expect(vault).toBeDefined();
    expect(cfg.database).toMatchObject({
      url: 'postgresql://app:from-vault@db-pooler/app',
      directUrl: 'postgresql://app:direct-from-env@db-rw/app',
    });
    expect(cfg.redis?.url).toBe('redis://:redis-from-vault@redis-master:6379');
    expect(cfg.fieldEncryption).toEqual({ kind: 'transit', mount: 'transit', key: 'platform-api' });
  });

  it('gives one-shot commands the environment with Vault layered on', async () => {
    fake.putSecret('secret', kvPath, { DATABASE_DIRECT_URL: 'postgresql://app:direct-from-vault@db-rw/app' });
    const env = await environmentWithVault(vaultEnv(fake, { VAULT_TOKEN: token, DATABASE_DIRECT_URL: 'x' }));
    expect(env.DATABASE_DIRECT_URL).toBe('postgresql://app:direct-from-vault@db-rw/app');
    expect(await environmentWithVault({ DATABASE_DIRECT_URL: 'y' })).toEqual({ DATABASE_DIRECT_URL: 'y' });
  });

  it('leaves Vault out entirely when VAULT_ADDR is not set', async () => {
    const { cfg, vault } = await loadStartupConfig({ APP_ENV: 'local' });
    expect(vault).toBeUndefined();
    expect(cfg.vault).toBeUndefined();
    expect(cfg.fieldEncryption.kind).toBe('local');
  });

  it('in dev, retries an unreachable Vault with growing delays, then names where it looked, in one line', async () => {
    const retries: string[] = [];
    await fake.stop();
    const error = await failure(
      loadStartupConfig(vaultEnv(fake, { VAULT_TOKEN: token, VAULT_START_ATTEMPTS: '3' }), {
        onRetry: (line) => retries.push(line),
        initialDelayMs: 20,
      }),
    );
    await fake.start();
    expect(retries).toEqual([
      expect.stringMatching(
        /^vault token lookup-self: (socket hang up|.*ECONNREFUSED.*); retry 1\/2 in \d+ ms$/,
      ),
      expect.stringMatching(/; retry 2\/2 in \d+ ms$/),
    ]);
    expect(error).toBeInstanceOf(SecretsUnavailable);
    expect(error).toMatchObject({ exitCode: 69 });
    expect(error.message).toMatch(
      new RegExp(`^vault: cannot read secrets from secret/data/${kvPath} \\(3 attempts\\): .*ECONNREFUSED`),
    );
    expect(error.message).not.toContain('\n');
  });

  it('in dev, waits for a Vault that comes up during the retries', async () => {
    fake.putSecret('secret', kvPath, { DATABASE_URL: 'postgresql://app:late@db/app' });
    fake.fault({ path: 'auth/token/lookup-self', status: 503, times: 2 });
    const env = vaultEnv(fake, { ...devBase(), VAULT_TOKEN: token, VAULT_START_ATTEMPTS: '4' });
    const { cfg } = await loadStartupConfig(env, {
      initialDelayMs: 20,
    });
    expect(cfg.database).toMatchObject({ url: 'postgresql://app:late@db/app' });
  });

  it('in staging and prod, tries once and fails fast', async () => {
    const clusterEnv = (tier: string) =>
      vaultEnv(fake, { APP_ENV: tier, VAULT_AUTH_METHOD: '', VAULT_K8S_ROLE: 'platform-api' });
    const settings = readVaultSettings(clusterEnv('staging'));
    expect(settings?.startAttempts).toBe(1);
    expect(settings?.auth.method).toBe('kubernetes');
    expect(readVaultSettings(clusterEnv('prod'))?.startAttempts).toBe(1);
  });

  it('fails with one line naming each required secret that Vault and the environment both lack', async () => {
    fake.putSecret('secret', kvPath, { DATABASE_URL: 'postgresql://app:pw@db/app' });
    const error = await failure(
      loadStartupConfig(
        vaultEnv(fake, {
          VAULT_TOKEN: token,
          VAULT_REQUIRED_SECRETS: 'DATABASE_URL,JWT_SIGNING_KEYS,JWT_ACTIVE_KID',
        }),
      ),
    );
    expect(error).toMatchObject({ exitCode: 78 });
    expect(error.message).toBe(
      `vault: secret/data/${kvPath} has no JWT_SIGNING_KEYS, JWT_ACTIVE_KID (required in this tier, and not set otherwise)`,
    );
  });

  it('names the Vault variables that are missing or contradictory', () => {
    const problems = (env: Record<string, string>) => {
      try {
        readVaultSettings(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ APP_ENV: 'dev', VAULT_ADDR: 'http://vault:8200' })).toEqual([
      'VAULT_TOKEN: required when VAULT_AUTH_METHOD is token',
      'VAULT_KV_PATH: required when VAULT_ADDR is set',
    ]);
    expect(problems({ APP_ENV: 'prod', VAULT_ADDR: 'http://vault:8200', VAULT_KV_PATH: 'p' })).toEqual([
      'VAULT_K8S_ROLE: required when VAULT_AUTH_METHOD is kubernetes',
      'VAULT_TRANSIT_KEY: required for field encryption (or FIELD_ENCRYPTION_KEYS for a local key)',
    ]);
    expect(problems({ APP_ENV: 'dev', VAULT_ADDR: 'vault:8200' })).toEqual([
      'VAULT_ADDR: must be an http or https URL',
    ]);
  });
});

describe('production guardrails for secrets', () => {
  const prod = {
    APP_ENV: 'prod',
    DATABASE_URL: 'postgresql://app:s3cure-Generated-pw@platform-db-pooler:5432/app',
    REDIS_URL: 'redis://:an0ther-Generated-pw@redis-master:6379',
    CORS_ORIGINS: 'https://app.example.com',
    JWT_SIGNING_KEYS: JSON.stringify([{ kid: 'k1', alg: 'ES256' }]),
    JWT_ACTIVE_KID: 'k1',
    VAULT_ADDR: 'https://vault.vault.svc:8200',
    VAULT_K8S_ROLE: 'platform-api',
    VAULT_KV_PATH: 'platform-api/prod',
    VAULT_TRANSIT_KEY: 'platform-api',
  };

  it('refuses to run without Vault', () => {
    expect(problemsOf({ ...prod, VAULT_ADDR: undefined })).toContain(
      'VAULT_ADDR: prod reads its secrets from Vault; set the Vault address',
    );
  });

  it('refuses a static Vault token', () => {
    expect(problemsOf({ ...prod, VAULT_AUTH_METHOD: 'token', VAULT_TOKEN: 'hvs.x' })).toEqual([
      'VAULT_AUTH_METHOD: prod logs in with its Kubernetes service account, not a static token',
    ]);
  });

  it('refuses local field-encryption keys in place of Vault transit', () => {
    expect(
      problemsOf({
        ...prod,
        VAULT_TRANSIT_KEY: undefined,
        FIELD_ENCRYPTION_KEYS: Buffer.alloc(32, 7).toString('base64'),
      }),
    ).toEqual(['VAULT_TRANSIT_KEY: prod encrypts fields with Vault transit, not a local key']);
  });

  it('gives local and dev a development field key, and staging none', () => {
    expect(loadConfig({ APP_ENV: 'local' }).fieldEncryption).toMatchObject({
      kind: 'local',
      keys: [expect.any(String)],
    });
    expect(problemsOf({ ...prod, APP_ENV: 'staging', VAULT_ADDR: undefined })).toContain(
      'FIELD_ENCRYPTION_KEYS: required when Vault transit is not configured (VAULT_ADDR)',
    );
  });

  it('refuses a field key that is not 32 bytes of base64', () => {
    expect(problemsOf({ APP_ENV: 'local', FIELD_ENCRYPTION_KEYS: 'c2hvcnQ=' })).toEqual([
      'FIELD_ENCRYPTION_KEYS.0: must be a base64-encoded 32-byte key',
    ]);
  });
});
