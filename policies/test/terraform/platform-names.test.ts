import { join } from 'node:path';
import { postgres, redis, stages, vault } from '@platform/charts/contract';
import { loadStageConfig, readStackFile } from '@platform/infra/stage-config';
import { describe, expect, it } from 'vitest';
import { only, readConfig, readTfvars, terraformDirectory } from '../support/terraform.js';

async function moduleInputs(stage: string, module: string) {
  const config = await readConfig(join(terraformDirectory, 'envs', stage));
  return only(config.module?.[module], `module ${module} in ${stage}`);
}

describe('terraform/ creates what each Pulumi stack expects to find in Vault', () => {
  it.each(stages)('%s: the service role, policy and mounts of the stack config', async (stage) => {
    const expected = loadStageConfig(stage).vault;
    expect(await moduleInputs(stage, 'vault_app_access')).toMatchObject({
      role_name: expected.role,
      policy_name: expected.policy,
      auth_mount: expected.authMount,
      kv_mount: expected.kvMount,
    });
  });

  it.each(stages)(
    '%s: the secret sync role reads exactly the paths the stack syncs, from its namespaces',
    async (stage) => {
      const config = loadStageConfig(stage);
      const backup = config.postgres.backup;
      expect(await moduleInputs(stage, 'vault_secret_sync')).toMatchObject({
        role_name: config.vault.syncRole,
        kv_paths: [vault.kvPath(stage), ...(backup ? [backup.credentialsVaultPath] : [])],
        namespaces: [redis.namespace, ...(backup ? [postgres.namespace] : [])],
      });
    },
  );

  it.each(stages)('%s: configures the Vault the stack points the service at', async (stage) => {
    const config = loadStageConfig(stage).vault;
    const { vault_address: address } = await readTfvars(`envs/${stage}/terraform.tfvars`);
    if (config.mode === 'external') expect(address).toBe(config.address);
    // The dev-mode Vault lives in the cluster; terraform reaches it through a port-forward.
    else expect(address).toBe('http://127.0.0.1:8200');
  });

  it('names the kind cluster so that its kubeconfig context is the one the local stack uses', async () => {
    const variables = (await readConfig(join(terraformDirectory, 'kind'))).variable ?? {};
    const name = only(variables.cluster_name, 'cluster_name').default;
    expect(`kind-${name}`).toBe(readStackFile('local')['kubernetes:context']);
  });
});
