import { join } from 'node:path';
import { service, stages, vault } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { isPinnedDigest, parseImageReference } from '../../src/model/image-reference.js';
import { only, readConfig, ref, terraformDirectory } from '../support/terraform.js';

async function moduleInputs(root: string, module: string) {
  const config = await readConfig(join(terraformDirectory, root));
  return only(config.module?.[module], `module ${module} in ${root}`);
}

describe('terraform/ names agree with the shared contract', () => {
  it.each(stages)('%s grants the service exactly the names the service and its chart use', async (stage) => {
    expect(await moduleInputs(`envs/${stage}`, 'vault_app_access')).toMatchObject({
      namespace: service.namespace,
      service_account: service.serviceAccount,
      role_name: vault.role,
      policy_name: vault.policy,
      auth_mount: vault.authMount,
      kv_mount: vault.kvMount,
      kv_path: vault.kvPath(stage),
      transit_mount: vault.transitMount,
      transit_key: vault.transitKey,
    });
  });

  it.each(stages)('%s lets the secret sync identity read from the same KV mount', async (stage) => {
    const sync = await moduleInputs(`envs/${stage}`, 'vault_secret_sync');
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
