import { redis as names } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { syncedSecrets } from '../cluster/platform-names.js';
import type { RedisConfig, VaultConfig } from '../config/index.js';
import { SecretSync } from '../vault/secret-sync.js';
import { redisObjectNames, redisObjects } from './redis-objects.js';

export interface RedisArgs {
  config: RedisConfig;
  vault: VaultConfig;
  /** Vault KV path of the service's secrets; the Redis password is one key there. */
  vaultPath: string;
  secretsOperator: pulumi.Resource;
}

/**
 * Redis (Valkey) for rate limits and cache, password synced from Vault.
 *
 * Why our own objects and not a chart: the Bitnami chart the platform used (redis 23.1.1) defaults to images
 * Bitnami withdrew from docker.io/bitnami in 2025 (frozen copies in bitnamilegacy get no fixes); the Valkey
 * project's own chart (valkey-io/valkey-helm 0.11) replicates but has no Sentinel, so nothing fails over.
 * DandyDeveloper's redis-ha is built from the same three parts (nodes, Sentinel, HAProxy) behind a large template
 * surface of its own; written out here they are a few objects we review and test directly (redis-objects.ts,
 * and the proxy against a real HAProxy and Redis in test/redis-master-proxy.test.ts), on two maintained upstream
 * images (redis-images.ts).
 */
export class Redis extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:redis:Redis', name, {}, opts);
    // Sentinel and replicas talk to each other by pod DNS name and the proxy health-checks each node; that
    // traffic does not go through sidecars cleanly, so Redis stays outside the mesh and relies on its password.
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

    const objects = redisObjects(args.config);
    const child = { parent: this, dependsOn: [ns, password] };
    for (const policy of objects.networkPolicies) {
      new k8s.networking.v1.NetworkPolicy(`${names.namespace}-${policy.metadata.name}`, policy, {
        parent: this,
        dependsOn: [ns],
      });
    }
    const scripts = new k8s.core.v1.ConfigMap(redisObjectNames.scripts, objects.scripts, child);
    const nodesService = new k8s.core.v1.Service(redisObjectNames.nodesService, objects.nodesService, child);
    const nodes = new k8s.apps.v1.StatefulSet(names.release, objects.nodes, {
      ...child,
      dependsOn: [ns, password, scripts, nodesService],
    });
    const masterService = new k8s.core.v1.Service(names.service, objects.masterService, child);

    if (objects.proxy && objects.proxyConfig) {
      const proxyConfig = new k8s.core.v1.ConfigMap(redisObjectNames.proxy, objects.proxyConfig, child);
      new k8s.apps.v1.Deployment(redisObjectNames.proxy, objects.proxy, {
        ...child,
        dependsOn: [ns, password, proxyConfig, nodes],
      });
    }

    for (const budget of objects.disruptionBudgets) {
      new k8s.policy.v1.PodDisruptionBudget(budget.metadata.name, budget, child);
    }

    this.host = masterService.metadata.name.apply(
      () => `${names.service}.${names.namespace}.svc.cluster.local`,
    );
    this.registerOutputs({ host: this.host });
  }
}
