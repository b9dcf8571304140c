import { postgres } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { barmanCloudPlugin, syncedSecrets } from '../cluster/platform-names.js';
import type { BackupConfig, PostgresConfig, VaultConfig } from '../config/index.js';
import { literalValue, SecretSync, vaultValue } from '../vault/secret-sync.js';
import {
  objectStoreNames,
  objectStoreSpec,
  readsAnotherStore,
  recoveryBootstrap,
  type StoreLocation,
  walArchiver,
} from './barman-cloud.js';

export interface PostgresClusterArgs {
  config: PostgresConfig;
  vault: VaultConfig;
  /** Operator (and plugin) releases, and the secrets operator for backup credentials. */
  operator: pulumi.Resource[];
  secretsOperator: pulumi.Resource;
  /** KV path of the service's secret: the application owner's password is seeded there, with the service's URLs. */
  vaultPath: string;
}

/**
 * The `pulumi.com/waitFor` annotation @pulumi/kubernetes reads on any object (pulumi/pulumi-kubernetes@v4.32.0
 * provider/pkg/metadata/overrides.go, ReadyCondition: a JSON list of expressions, all of which must hold).
 * Without it a custom resource counts as created at once, and dependents start early.
 * - `condition=Ready`: the condition CloudNativePG sets True once the cluster serves (cloudnative-pg@v1.30.0
 *   api/v1/cluster_types.go, ConditionClusterReady).
 * - one RFC 9535 filter per managed role (provider/pkg/jsonpath/jsonpath.go: without a value, it holds once the
 *   path selects anything): Ready comes before the roles exist. The primary creates managed roles from a separate
 *   loop (internal/management/controller/roles/runnable.go), and its instance controller lists a role under
 *   `status.managedRolesStatus.byStatus.reconciled` only once the database holds it as specified, under
 *   `pending-reconciliation` until then (roles/reconciler.go, Reconcile; roles/roles.go, convertToRolesByStatus).
 *   The migration grants to the runtime role, so it must not start before.
 */
export function clusterAwait(managedRoles: readonly string[]) {
  const rolesReconciled = managedRoles.map(
    (role) => `jsonpath={.status.managedRolesStatus.byStatus.reconciled[?@=='${role}']}`,
  );
  return { 'pulumi.com/waitFor': JSON.stringify(['condition=Ready', ...rolesReconciled]) };
}

/** A first bootstrap (initdb, then each replica cloned) takes minutes; the provider's default is 10. */
const clusterCreateTimeout = '30m';

interface RoleCredentials {
  resourceName: string;
  secret: { name: string; vaultKey: string };
  username: string;
  labels?: Record<string, string>;
}

const ownerCredentials: RoleCredentials = {
  resourceName: `${postgres.cluster}-app-credentials`,
  secret: syncedSecrets.database,
  username: postgres.owner,
};

/** `cnpg.io/reload` applies a changed password at once, not at a later reconciliation (declarative_role_management.md). */
const runtimeRoleCredentials: RoleCredentials = {
  resourceName: `${postgres.cluster}-runtime-credentials`,
  secret: syncedSecrets.databaseRuntime,
  username: postgres.runtimeRole,
  labels: { 'cnpg.io/reload': 'true' },
};

/**
 * The service's PostgreSQL: a CloudNativePG Cluster in its own namespace, its PodMonitor, and in stages
 * with backups, continuous WAL archiving plus scheduled base backups through the Barman Cloud plugin.
 *
 * The application owner's password lives in Vault (seeded with the service's other secrets, `npm run
 * keys:generate`), next to the DATABASE_URL values built from it. The Vault Secrets Operator copies it into the
 * basic-auth Secret CloudNativePG bootstraps the owner with (`bootstrap.initdb.secret`), and CloudNativePG
 * re-applies that Secret's password whenever it changes (cloudnative-pg@v1.30.0
 * internal/management/controller/instance_controller.go, refreshCredentialsFromSecret). So the service and the
 * database read one Vault value, and nothing has to copy a generated password out of the cluster. The service
 * itself logs in as a second role, the runtime role (a managed role, its password synced the same way).
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
    // One sync identity for every Secret synced into this namespace (app credentials, backup credentials).
    const syncAccount = new k8s.core.v1.ServiceAccount(
      `${postgres.cluster}-vault-sync-account`,
      { metadata: { name: syncedSecrets.serviceAccount, namespace: namespace.metadata.name } },
      { parent: this },
    );
    const credentials = this.roleCredentials(ownerCredentials, args, namespace, syncAccount);
    const runtimeCredentials = this.roleCredentials(runtimeRoleCredentials, args, namespace, syncAccount);

    const stores = config.backup
      ? this.objectStores(config.backup, config.recovery, args, namespace, syncAccount, prerequisites)
      : [];

    // The service's login (DATABASE_URL): a role apart from the owner, so the service cannot disable the audit
    // trigger or drop a table. The owner has no CREATEROLE, so the platform creates it; the migration only grants
    // it (app/prisma/migrations/20261204120000_runtime_role), hence the await on it (clusterAwait). Inline managed
    // roles are created when missing and brought back to this spec periodically (cloudnative-pg@v1.30.0
    // docs/src/declarative_role_management.md; api/v1/cluster_types.go, RoleConfiguration). The Pooler
    // authenticates any role through auth_query (user_search over pg_shadow: cloudnative-pg@v1.30.0
    // internal/management/controller/instance_controller.go), so it reaches PgBouncer unchanged.
    const managedRoles = [
      {
        name: postgres.runtimeRole,
        ensure: 'present',
        comment: 'platform-api runtime: owns nothing; INSERT/SELECT only on audit_logs',
        login: true,
        passwordSecret: { name: syncedSecrets.databaseRuntime.name },
      },
    ];

    this.cluster = new k8s.apiextensions.CustomResource(
      postgres.cluster,
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: {
          name: postgres.cluster,
          namespace: postgres.namespace,
          annotations: clusterAwait(managedRoles.map((role) => role.name)),
        },
        spec: {
          instances: config.instances,
          storage: { size: config.storage.size, storageClass: config.storage.storageClass },
          resources: config.resources,
          postgresql: { parameters: config.parameters },
          affinity: antiAffinity(config.podAntiAffinity),
          ...bootstrapOf(config),
          managed: { roles: managedRoles },
          plugins: config.backup ? walArchiver(config.backup) : undefined,
        },
      },
      {
        parent: this,
        dependsOn: [...prerequisites, credentials, runtimeCredentials, ...stores],
        customTimeouts: { create: clusterCreateTimeout, update: clusterCreateTimeout },
      },
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

  /**
   * A role's basic-auth Secret, synced from the stage's Vault path. CloudNativePG reads `username` and
   * `password` as they are and requires `username` to be the role's name: for the owner
   * (cloudnative-pg@v1.30.0 internal/management/utils/secrets.go, GetUserPasswordFromSecret; docs/src/bootstrap.md)
   * and for a managed role (internal/management/controller/roles/runnable.go: "the username in secret ... does
   * not match role"). A new password reaches the role within a minute of the seed (the service re-reads Vault as
   * often), so a rotation or a re-seeded dev Vault does not leave the URLs and the role apart for an hour.
   */
  private roleCredentials(
    role: RoleCredentials,
    args: PostgresClusterArgs,
    namespace: k8s.core.v1.Namespace,
    serviceAccount: k8s.core.v1.ServiceAccount,
  ) {
    return new SecretSync(
      role.resourceName,
      {
        namespace,
        secretName: role.secret.name,
        secretType: 'kubernetes.io/basic-auth',
        secretLabels: role.labels,
        vaultPath: args.vaultPath,
        refreshAfter: '1m',
        keys: [],
        templates: {
          username: literalValue(role.username),
          password: vaultValue(role.secret.vaultKey),
        },
        serviceAccount,
        vault: args.vault,
        operator: args.secretsOperator,
      },
      { parent: this, dependsOn: [namespace] },
    );
  }

  /** The store the cluster archives into and, when recovery reads another destination, that one too. */
  private objectStores(
    backup: BackupConfig,
    recovery: PostgresConfig['recovery'],
    args: PostgresClusterArgs,
    namespace: k8s.core.v1.Namespace,
    serviceAccount: k8s.core.v1.ServiceAccount,
    prerequisites: pulumi.Resource[],
  ) {
    const credentials = new SecretSync(
      `${postgres.cluster}-backup-credentials`,
      {
        namespace,
        secretName: syncedSecrets.backup.name,
        vaultPath: backup.credentialsVaultPath,
        keys: [syncedSecrets.backup.accessKeyId, syncedSecrets.backup.secretAccessKey],
        serviceAccount,
        vault: args.vault,
        operator: args.secretsOperator,
      },
      { parent: this, dependsOn: [namespace] },
    );
    const store = (name: string, location: StoreLocation, retentionPolicy?: string) =>
      new k8s.apiextensions.CustomResource(
        name,
        {
          apiVersion: 'barmancloud.cnpg.io/v1',
          kind: 'ObjectStore',
          metadata: { name, namespace: postgres.namespace },
          spec: objectStoreSpec(location, retentionPolicy),
        },
        { parent: this, dependsOn: [...prerequisites, credentials] },
      );
    const stores = [store(objectStoreNames.backups, backup, backup.retentionPolicy)];
    if (recovery?.destinationPath && readsAnotherStore(recovery, backup)) {
      stores.push(
        store(objectStoreNames.recoverySource, {
          destinationPath: recovery.destinationPath,
          endpointURL: backup.endpointURL,
        }),
      );
    }
    return stores;
  }
}

/**
 * An empty database (initdb), or with `recovery` set, the cluster restored from the archive. CloudNativePG reads
 * `bootstrap` only when it creates the Cluster: changing it on a live one does nothing until the Cluster is
 * replaced (the runbook's `pulumi up --replace`).
 */
function bootstrapOf(config: PostgresConfig) {
  const { backup, recovery } = config;
  if (!recovery || !backup) {
    return {
      bootstrap: {
        initdb: {
          database: postgres.database,
          owner: postgres.owner,
          secret: { name: syncedSecrets.database.name },
        },
      },
    };
  }
  return recoveryBootstrap({
    serverName: recovery.serverName,
    objectStore: readsAnotherStore(recovery, backup)
      ? objectStoreNames.recoverySource
      : objectStoreNames.backups,
    targetTime: recovery.targetTime,
    database: postgres.database,
    owner: postgres.owner,
    // The owner keeps the password the stage's Vault holds, whatever it was when the backup was taken.
    ownerSecret: syncedSecrets.database.name,
  });
}

function antiAffinity(mode: PostgresConfig['podAntiAffinity']) {
  if (mode === 'none') return { enablePodAntiAffinity: false };
  return { enablePodAntiAffinity: true, podAntiAffinityType: mode, topologyKey: 'kubernetes.io/hostname' };
}
