import { postgres } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { barmanCloudPlugin, syncedSecrets } from '../cluster/platform-names.js';
import type { BackupConfig, PostgresConfig, VaultConfig } from '../config/index.js';
import { SecretSync } from '../vault/secret-sync.js';

export interface PostgresClusterArgs {
  config: PostgresConfig;
  vault: VaultConfig;
  /** Operator (and plugin) releases, and the secrets operator for backup credentials. */
  operator: pulumi.Resource[];
  secretsOperator: pulumi.Resource;
}

const objectStoreName = `${postgres.cluster}-backups`;

/**
 * The service's PostgreSQL: a CloudNativePG Cluster in its own namespace, its PodMonitor, and in stages
 * with backups, continuous WAL archiving plus scheduled base backups through the Barman Cloud plugin.
 */
export class PostgresCluster extends pulumi.ComponentResource {
  /** Direct read-write service: migrations only. */
  readonly rwHost: pulumi.Output<string>;
  readonly cluster: k8s.apiextensions.CustomResource;

  constructor(name: string, args: PostgresClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:postgres:PostgresCluster', name, {}, opts);
    const { config } = args;
    // CloudNativePG manages its own TLS, and its operator and bootstrap jobs talk to instances directly: a
    // sidecar would refuse the operator under STRICT mTLS and keep jobs from completing. The database stays
    // outside the mesh; NetworkPolicy (from charts/) limits who reaches it.
    const namespace = meshNamespace(postgres.namespace, 'disabled', { parent: this });
    const prerequisites = [...args.operator, namespace];

    const store = config.backup ? this.objectStore(config.backup, args, namespace, prerequisites) : undefined;

    this.cluster = new k8s.apiextensions.CustomResource(
      postgres.cluster,
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: postgres.cluster, namespace: postgres.namespace },
        spec: {
          instances: config.instances,
          storage: { size: config.storage.size, storageClass: config.storage.storageClass },
          resources: config.resources,
          postgresql: { parameters: config.parameters },
          affinity: antiAffinity(config.podAntiAffinity),
          bootstrap: { initdb: { database: postgres.database, owner: postgres.owner } },
          plugins: config.backup
            ? [
                {
                  name: barmanCloudPlugin,
                  isWALArchiver: true,
                  parameters: { barmanObjectName: objectStoreName },
                },
              ]
            : undefined,
        },
      },
      { parent: this, dependsOn: [...prerequisites, ...(store ? [store] : [])] },
    );

    if (config.podMonitor) {
      new k8s.apiextensions.CustomResource(
        `${postgres.cluster}-monitor`,
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PodMonitor',
          metadata: { name: postgres.cluster, namespace: postgres.namespace },
          spec: {
            selector: { matchLabels: { 'cnpg.io/cluster': postgres.cluster, 'cnpg.io/podRole': 'instance' } },
            podMetricsEndpoints: [{ port: 'metrics' }],
          },
        },
        { parent: this, dependsOn: [this.cluster] },
      );
    }

    if (config.backup) {
      new k8s.apiextensions.CustomResource(
        `${postgres.cluster}-scheduled-backup`,
        {
          apiVersion: 'postgresql.cnpg.io/v1',
          kind: 'ScheduledBackup',
          metadata: { name: `${postgres.cluster}-daily`, namespace: postgres.namespace },
          spec: {
            schedule: config.backup.schedule,
            immediate: true,
            backupOwnerReference: 'self',
            cluster: { name: postgres.cluster },
            method: 'plugin',
            pluginConfiguration: { name: barmanCloudPlugin },
          },
        },
        { parent: this, dependsOn: [this.cluster] },
      );
    }

    this.rwHost = this.cluster.metadata.apply(
      () => `${postgres.rwService}.${postgres.namespace}.svc.cluster.local`,
    );
    this.registerOutputs({ rwHost: this.rwHost });
  }

  private objectStore(
    backup: BackupConfig,
    args: PostgresClusterArgs,
    namespace: k8s.core.v1.Namespace,
    prerequisites: pulumi.Resource[],
  ) {
    const credentials = new SecretSync(
      `${postgres.cluster}-backup-credentials`,
      {
        namespace,
        secretName: syncedSecrets.backup.name,
        vaultPath: backup.credentialsVaultPath,
        keys: [syncedSecrets.backup.accessKeyId, syncedSecrets.backup.secretAccessKey],
        vault: args.vault,
        operator: args.secretsOperator,
      },
      { parent: this, dependsOn: [namespace] },
    );
    return new k8s.apiextensions.CustomResource(
      objectStoreName,
      {
        apiVersion: 'barmancloud.cnpg.io/v1',
        kind: 'ObjectStore',
        metadata: { name: objectStoreName, namespace: postgres.namespace },
        spec: {
          retentionPolicy: backup.retentionPolicy,
          configuration: {
            destinationPath: backup.destinationPath,
            endpointURL: backup.endpointURL,
            s3Credentials: {
              accessKeyId: { name: syncedSecrets.backup.name, key: syncedSecrets.backup.accessKeyId },
              secretAccessKey: { name: syncedSecrets.backup.name, key: syncedSecrets.backup.secretAccessKey },
            },
            wal: { compression: 'gzip' },
            data: { compression: 'gzip' },
          },
        },
      },
      { parent: this, dependsOn: [...prerequisites, credentials] },
    );
  }
}

function antiAffinity(mode: PostgresConfig['podAntiAffinity']) {
  if (mode === 'none') return { enablePodAntiAffinity: false };
  return { enablePodAntiAffinity: true, podAntiAffinityType: mode, topologyKey: 'kubernetes.io/hostname' };
}
