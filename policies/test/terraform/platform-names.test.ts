import { join } from 'node:path';
import { stages, vault } from '@platform/charts/contract';
import { loadStageConfig, readStackFile } from '@platform/infra/stage-config';
import { registeredResources } from '@platform/infra/testing';
import { describe, expect, it } from 'vitest';
import { only, readConfig, ref, terraformDirectory } from '../support/terraform.js';

const stageModule = () => readConfig(join(terraformDirectory, 'modules/stage-vault'));
const envConfig = (stage: string) => readConfig(join(terraformDirectory, 'envs', stage));

describe('terraform/ creates what each Pulumi stack expects to find in Vault', () => {
  it.each(stages)('%s: the service role, policy and mounts of the stack config', async (stage) => {
    const expected = loadStageConfig(stage).vault;
    const access = only((await stageModule()).module?.vault_app_access, 'vault_app_access');
    expect(access).toMatchObject({
      role_name: expected.role,
      policy_name: expected.policy,
      auth_mount: expected.authMount,
      kv_mount: expected.kvMount,
    });
  });

  it.each(stages)('%s: the secret sync role reads exactly the paths the stack syncs', async (stage) => {
    const config = loadStageConfig(stage);
    const sync = only((await stageModule()).module?.vault_secret_sync, 'vault_secret_sync');
    expect(sync.role_name).toBe(config.vault.syncRole);
    // The module lists the service's path and, where the stage backs up, the backup credentials; the stage
    // passes exactly its stack's backup path.
    expect(sync.kv_paths).toBe(ref('compact([local.kv_path, var.backup_credentials_path])'));
    // Every namespace the program's secret syncs log in from with that role (Vault answers 403 to any other).
    const loginNamespaces = (await registeredResources(stage))
      .filter((r) => r.type === 'kubernetes:secrets.hashicorp.com/v1beta1:VaultAuth')
      .filter(
        (r) =>
          (r.inputs.spec as { kubernetes?: { role?: string } }).kubernetes?.role === config.vault.syncRole,
      )
      .map((r) => (r.inputs.metadata as { namespace: string }).namespace);
    expect(loginNamespaces.length).toBeGreaterThan(0);
    expect(sync.namespaces).toEqual(expect.arrayContaining([...new Set(loginNamespaces)]));
    const inputs = only((await envConfig(stage)).module?.stage, 'module stage');
    expect(inputs.backup_credentials_path).toBe(config.postgres.backup?.credentialsVaultPath);
    expect(vault.kvPath(stage)).toBe(`platform-api/${inputs.stage}`);
  });

  it.each(stages)('%s: archives to the bucket terraform creates, where the stack backs up', async (stage) => {
    const backup = loadStageConfig(stage).postgres.backup;
    const bucket = (await envConfig(stage)).module?.backup_bucket;
    if (!backup) return expect(bucket).toBeUndefined();
    const { bucket_name } = only(bucket, 'backup_bucket');
    expect(backup.destinationPath).toBe(`s3://${bucket_name}/`);
  });

  it.each(stages)('%s: configures the Vault the stack points the service at', async (stage) => {
    const config = loadStageConfig(stage).vault;
    const { address } = only((await envConfig(stage)).provider?.vault, 'vault provider');
    if (config.mode === 'external') expect(address).toBe(config.address);
    // The dev-mode Vault lives in the cluster; terraform reaches it through a port-forward.
    else expect(address).toBe('http://127.0.0.1:8200');
  });

  it.each(stages)('%s: talks to the cluster the stack deploys to', async (stage) => {
    const { config_context: context } = only(
      (await envConfig(stage)).provider?.kubernetes,
      'kubernetes provider',
    );
    expect(context).toBe(readStackFile(stage)['kubernetes:context']);
  });

  it('names the kind cluster so that its kubeconfig context is the one the local stack uses', async () => {
    const variables = (await readConfig(join(terraformDirectory, 'kind'))).variable ?? {};
    const name = only(variables.cluster_name, 'cluster_name').default;
    expect(`kind-${name}`).toBe(readStackFile('local')['kubernetes:context']);
  });
});
