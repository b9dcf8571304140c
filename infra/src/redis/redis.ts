import { redis as names } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { chartPins, releaseChart } from '../cluster/chart-pins.js';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { syncedSecrets } from '../cluster/platform-names.js';
import type { RedisConfig, VaultConfig } from '../config/index.js';
import { SecretSync } from '../vault/secret-sync.js';

export interface RedisArgs {
  config: RedisConfig;
  vault: VaultConfig;
  /** Vault KV path of the service's secrets; the Redis password is one key there. */
  vaultPath: string;
  secretsOperator: pulumi.Resource;
}

/** Chart values for the stage's topology: one master, or master + replicas watched by Sentinel. */
export function redisValues(config: RedisConfig) {
  const persistence = { enabled: config.persistence.enabled, size: config.persistence.size };
  const auth = {
    enabled: true,
    existingSecret: syncedSecrets.redis.name,
    existingSecretPasswordKey: syncedSecrets.redis.vaultKey,
  };
  if (config.topology === 'standalone') {
    return { architecture: 'standalone', auth, master: { persistence, resources: config.resources } };
  }
  return {
    architecture: 'replication',
    auth,
    replica: { replicaCount: config.replicas, persistence, resources: config.resources },
    sentinel: {
      enabled: true,
      quorum: Math.floor(config.replicas / 2) + 1,
      // Keeps the `redis-master` Service of the contract pointing at whichever node Sentinel promoted.
      masterService: { enabled: true },
    },
    rbac: { create: true },
  };
}

/** Redis for rate limits and cache, password synced from Vault. */
export class Redis extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:redis:Redis', name, {}, opts);
    // Sentinel announces pod IPs and replicas connect to each other directly; that traffic does not go
    // through sidecars cleanly, so Redis stays outside the mesh and relies on its password.
    const ns = meshNamespace(names.namespace, 'disabled', { parent: this });

    const password = new SecretSync(
      'redis-password',
      {
        namespace: ns,
        secretName: syncedSecrets.redis.name,
        vaultPath: args.vaultPath,
        keys: [syncedSecrets.redis.vaultKey],
        vault: args.vault,
        operator: args.secretsOperator,
      },
      { parent: this, dependsOn: [ns] },
    );

    this.release = new k8s.helm.v3.Release(
      names.release,
      {
        ...releaseChart(chartPins.redis),
        name: names.release,
        namespace: names.namespace,
        values: redisValues(args.config),
      },
      { parent: this, dependsOn: [ns, password] },
    );

    this.host = this.release.name.apply(() => `${names.service}.${names.namespace}.svc.cluster.local`);
    this.registerOutputs({ host: this.host });
  }
}
