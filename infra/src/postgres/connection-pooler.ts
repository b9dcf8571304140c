import { postgres } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { PoolerConfig } from '../config/index.js';

/**
 * Awaited by `pulumi up` (pulumi/pulumi-kubernetes provider/pkg/metadata/overrides.go, `jsonpath=` form). A
 * Pooler has no conditions; CloudNativePG sets `status.phase` to `active` once its Deployment, Service and auth
 * secrets are reconciled (cloudnative-pg@v1.30.0 internal/controller/pooler_status.go, api/v1/pooler_types.go).
 */
export const poolerReadyAwait = { 'pulumi.com/waitFor': 'jsonpath={.status.phase}=active' } as const;

export interface ConnectionPoolerArgs {
  config: PoolerConfig;
  cluster: pulumi.Resource;
  podMonitor: boolean;
}

/**
 * PgBouncer in front of the cluster's primary (CloudNativePG Pooler, transaction pooling). The running service
 * connects here; migrations never do (session advisory locks and prepared DDL need a direct session).
 */
export class ConnectionPooler extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;

  constructor(name: string, args: ConnectionPoolerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:postgres:ConnectionPooler', name, {}, opts);
    const { config } = args;

    const pooler = new k8s.apiextensions.CustomResource(
      postgres.pooler,
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Pooler',
        metadata: { name: postgres.pooler, namespace: postgres.namespace, annotations: poolerReadyAwait },
        spec: {
          cluster: { name: postgres.cluster },
          instances: config.instances,
          type: 'rw',
          pgbouncer: { poolMode: 'transaction', parameters: config.parameters },
          template: {
            spec: { containers: [{ name: 'pgbouncer', resources: config.resources }] },
          },
        },
      },
      { parent: this, dependsOn: [args.cluster] },
    );

    if (args.podMonitor) {
      new k8s.apiextensions.CustomResource(
        `${postgres.pooler}-monitor`,
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PodMonitor',
          metadata: { name: postgres.pooler, namespace: postgres.namespace },
          spec: {
            selector: { matchLabels: { 'cnpg.io/poolerName': postgres.pooler } },
            podMetricsEndpoints: [{ port: 'metrics' }],
          },
        },
        { parent: this, dependsOn: [pooler] },
      );
    }

    this.host = pooler.metadata.apply(() => `${postgres.pooler}.${postgres.namespace}.svc.cluster.local`);
    this.registerOutputs({ host: this.host });
  }
}
