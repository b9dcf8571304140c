import { join } from 'node:path';
import { service, stages, vault } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { isPinnedDigest, parseImageReference } from '../../src/model/image-reference.js';
import { only, readConfig, ref, terraformDirectory } from '../support/terraform.js';

async function moduleInputs(directory: string, module: string) {
  const config = await readConfig(join(terraformDirectory, directory));
  return only(config.module?.[module], `module ${module} in ${directory}`);
}

describe('terraform/ names agree with the shared contract', () => {
  it('grants the service exactly the names the service and its chart use, in every stage', async () => {
    const config = await readConfig(join(terraformDirectory, 'modules/stage-vault'));
    expect(only(config.locals, 'locals')).toMatchObject({
      kv_path: vault.kvPath(ref('var.stage') as never),
    });
    expect(await moduleInputs('modules/stage-vault', 'vault_app_access')).toMatchObject({
      namespace: service.namespace,
      service_account: service.serviceAccount,
      role_name: vault.role,
      policy_name: vault.policy,
      auth_mount: vault.authMount,
      kv_mount: vault.kvMount,
      kv_path: ref('local.kv_path'),
      transit_mount: vault.transitMount,
      transit_key: vault.transitKey,
    });
  });

  it.each(stages)('%s passes its own stage name to the shared module', async (stage) => {
    expect(await moduleInputs(`envs/${stage}`, 'stage')).toMatchObject({
      source: '../../modules/stage-vault',
      stage,
    });
  });

  it('lets the secret sync identity read from the same KV mount and log in at the same auth mount', async () => {
    const sync = await moduleInputs('modules/stage-vault', 'vault_secret_sync');
    expect(sync.kv_mount).toBe(vault.kvMount);
    expect(sync.auth_mount).toBe(ref('module.vault_app_access.auth_mount'));
  });

  it('creates the local cluster from a node image pinned by digest', async () => {
    const cluster = await moduleInputs('kind', 'kind_cluster');
    const image = parseImageReference(String(cluster.node_image));
    expect(image.repository).toBe('kindest/node');
    expect(isPinnedDigest(image.digest)).toBe(true);
  });
});
