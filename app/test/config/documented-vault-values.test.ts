import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadStartupConfig } from '../../src/adapters/vault/startup-config.js';
import {
  generateSeedSecrets,
  placeholderSecrets,
  type SeedStage,
  seedLocation,
  seedStages,
  vaultSeed,
} from '../../src/cli/vault-seed.js';
import { ConfigError } from '../../src/config/index.js';
import { KeyRing } from '../../src/modules/auth/key-ring.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kubernetesLogin } from '../vault/vault-env.js';

const repo = new URL('../../../', import.meta.url);

/** The JSON block after the `vault-values` marker in docs/secrets.md: the documented values per stage. */
function documentedValues(): Record<string, Record<string, string>> {
  const doc = readFileSync(new URL('docs/secrets.md', repo), 'utf8');
  const block = /<!-- vault-values:[^>]*-->\s*```json\n([\s\S]*?)\n```/.exec(doc);
  if (!block?.[1]) throw new Error('docs/secrets.md has no vault-values block');
  return JSON.parse(block[1]) as Record<string, Record<string, string>>;
}

/** The service's ConfigMap as deployed: charts/dist/<stage>, the synthesized manifests. */
function deployedConfigMap(stage: SeedStage): Record<string, string> {
  const text = readFileSync(new URL(`charts/dist/${stage}/10-foundation.yaml`, repo), 'utf8');
  const objects = parseAllDocuments(text).map(
    (d) => d.toJSON() as { kind?: string; data?: Record<string, string> },
  );
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.data?.APP_ENV === stage);
  if (!configMap?.data) throw new Error(`charts/dist/${stage} has no ConfigMap for the service`);
  return configMap.data;
}

/** The documented values with each placeholder replaced by what `keys:generate` generates for it. */
function filledIn(
  values: Record<string, string>,
  generated: Awaited<ReturnType<typeof generateSeedSecrets>>,
) {
  const byPlaceholder = Object.entries(placeholderSecrets).map(
    ([field, placeholder]) => [placeholder, generated[field as keyof typeof generated]] as const,
  );
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      byPlaceholder.reduce((text, [placeholder, real]) => text.replaceAll(placeholder, real), value),
    ]),
  );
}

/**
 * Starts the configuration the way a pod does: the ConfigMap's variables, a Kubernetes login to Vault (the fake
 * speaking Vault's API, standing in for the address in the ConfigMap), the stage's KV secret layered on top.
 */
async function startWith(fake: VaultFake, stage: SeedStage, values: Record<string, string>) {
  const { mount, path } = seedLocation(stage);
  fake.putSecret(mount, path, values);
  const login = kubernetesLogin(fake, { ttl: 3600 });
  const { cfg, vault } = await loadStartupConfig(
    {
      ...deployedConfigMap(stage),
      VAULT_ADDR: fake.url,
      VAULT_K8S_TOKEN_PATH: login.env.VAULT_K8S_TOKEN_PATH,
    },
    { initialDelayMs: 1 },
  );
  vault?.close();
  return cfg;
}

const problemsOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('documented Vault values (docs/secrets.md)', () => {
  let fake: VaultFake;
  beforeAll(async () => {
    fake = await startVaultFake();
  });
  afterAll(() => fake.stop());

  const documented = documentedValues();

  it('document every stage with exactly what keys:generate prints', () => {
    expect(Object.keys(documented)).toEqual([...seedStages]);
    for (const stage of seedStages) expect(documented[stage], stage).toEqual(vaultSeed(placeholderSecrets));
  });

  it.each([...seedStages])(
    '%s: start with the deployed ConfigMap and the documented values',
    async (stage) => {
      const values = filledIn(documented[stage] as Record<string, string>, await generateSeedSecrets(stage));
      const cfg = await startWith(fake, stage, values);

      expect(cfg.tier).toBe(stage);
      expect(cfg.database).toMatchObject({
        kind: 'postgres',
        url: values.DATABASE_URL,
        directUrl: values.DATABASE_DIRECT_URL,
      });
      expect(new URL(cfg.redis?.url ?? '').password).toBe(values.REDIS_PASSWORD);
      // A key set the key ring loads: the service signs with it instead of writing a key file.
      expect(cfg.auth.signingKeys).toBeDefined();
      expect(KeyRing.parse(cfg.auth.signingKeys as string, cfg.auth.activeKid).signing.kid).toBe(
        values.JWT_ACTIVE_KID,
      );
    },
  );

  it('migrations log in as the owner with DATABASE_PASSWORD, the service as the runtime role with its own', async () => {
    const values = vaultSeed(await generateSeedSecrets('prod'));
    const direct = new URL(values.DATABASE_DIRECT_URL);
    const pooled = new URL(values.DATABASE_URL);
    expect([direct.username, decodeURIComponent(direct.password)]).toEqual(['app', values.DATABASE_PASSWORD]);
    expect([pooled.username, decodeURIComponent(pooled.password)]).toEqual([
      'platform_api_runtime',
      values.DATABASE_RUNTIME_PASSWORD,
    ]);
    expect(values.DATABASE_RUNTIME_PASSWORD).not.toBe(values.DATABASE_PASSWORD);
  });

  it('fails on the old prod example, which had REDIS_PASSWORD but no REDIS_URL', async () => {
    const generated = await generateSeedSecrets('prod');
    const oldExample = {
      DATABASE_URL: `postgresql://app:${generated.databasePassword}@platform-db-pooler.postgres:5432/app`,
      DATABASE_DIRECT_URL: `postgresql://app:${generated.databasePassword}@platform-db-rw.postgres:5432/app`,
      REDIS_PASSWORD: generated.redisPassword,
      JWT_SIGNING_KEYS: generated.signingKeys,
      JWT_ACTIVE_KID: generated.activeKid,
    };
    expect(await problemsOf(startWith(fake, 'prod', oldExample))).toContain(
      'REDIS_URL: required when RATE_LIMIT_STORE is redis',
    );
  });

  it('fails on a local cluster seeded with nothing but the database (no REDIS_URL)', async () => {
    const { DATABASE_URL, DATABASE_DIRECT_URL } = vaultSeed(await generateSeedSecrets('local'));
    expect(
      await problemsOf(
        startWith(fake, 'local', { DATABASE_URL, DATABASE_DIRECT_URL } as Record<string, string>),
      ),
    ).toEqual(['REDIS_URL: required when RATE_LIMIT_STORE is redis']);
  });
});
