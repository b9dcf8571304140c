import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';
import { awaitedBefore } from './dependency-graph.js';
import { awaitsCondition, awaitsJsonPath, awaitsListMember } from './pulumi-wait-for.js';

const clusterType = 'kubernetes:postgresql.cnpg.io/v1:Cluster';
const poolerType = 'kubernetes:postgresql.cnpg.io/v1:Pooler';
const configGroupType = 'kubernetes:yaml/v2:ConfigGroup';

const awaitSource = 'pulumi-kubernetes@4.34 provider/pkg/metadata/overrides.go (pulumi.com/waitFor)';
const clusterReadySource = 'cloudnative-pg@v1.30.0 api/v1/cluster_types.go (ConditionClusterReady "Ready")';
const rolesReconciledSource =
  'cloudnative-pg@v1.30.0 internal/management/controller/roles/reconciler.go and roles.go (status.managedRolesStatus.byStatus.reconciled lists a managed role once the database matches its spec; the role itself is created later than Ready, by roles/runnable.go)';
const reconciledRolesPath = '.status.managedRolesStatus.byStatus.reconciled';
const poolerPhaseSource =
  'cloudnative-pg@v1.30.0 internal/controller/pooler_status.go (status.phase "active")';

interface KubeObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, unknown> };
  spec?: Record<string, unknown>;
}

/** Names in the Cluster's `spec.managed.roles` (cloudnative-pg@v1.30.0 api/v1/cluster_types.go, RoleConfiguration). */
function managedRolesOf(cluster: RegisteredResource): string[] {
  const spec = cluster.inputs.spec as { managed?: { roles?: { name?: string }[] } } | undefined;
  return (spec?.managed?.roles ?? []).flatMap((role) => (role.name ? [role.name] : []));
}

const objectsOf = (group: RegisteredResource) => (group.inputs.objs ?? []) as KubeObject[];
const metadataOf = (r: RegisteredResource) =>
  (r.inputs.metadata ?? {}) as NonNullable<KubeObject['metadata']>;
const nameOf = (r: RegisteredResource) => `${metadataOf(r).namespace}/${metadataOf(r).name}`;

/**
 * The database is serving before the service's objects go in: a custom resource counts as created the moment
 * the API server stores it unless `pulumi.com/waitFor` says what to wait for, so without an await the migration
 * Job starts while PostgreSQL is still bootstrapping and uses up its retries. Checks: the group holding the
 * migration Job waits (dependsOn, transitively) for a Cluster awaited on its `Ready` condition and on every
 * managed role being listed as reconciled (CloudNativePG creates managed roles on the primary after `Ready`, from
 * a separate loop, and the migration grants to the runtime role: started early, it fails); the group holding
 * the workload waits for a Pooler awaited on `status.phase=active`; the Job itself waits, bounded, for the
 * primary's `-rw` Service before it migrates.
 */
export function databaseAwaitedBeforeService(resources: readonly RegisteredResource[]): Finding[] {
  const before = awaitedBefore(resources);
  const groups = resources.filter((r) => r.type === configGroupType);
  const findings: Finding[] = [];

  for (const group of groups.filter((g) => objectsOf(g).some((o) => o.kind === 'Job'))) {
    const clusters = before(group).filter((r) => r.type === clusterType);
    const subject = `ConfigGroup ${group.name}`;
    if (clusters.length === 0) {
      findings.push({
        subject,
        path: 'dependsOn',
        message: 'the migration Job does not wait for any CloudNativePG Cluster',
        source: awaitSource,
      });
    }
    for (const cluster of clusters.filter((c) => !awaitsCondition(metadataOf(c).annotations, 'Ready'))) {
      findings.push({
        subject: `Cluster ${nameOf(cluster)}`,
        path: 'metadata.annotations["pulumi.com/waitFor"]',
        message: `no await on condition Ready: ${group.name} (the migration Job) starts as soon as the Cluster object exists, before PostgreSQL accepts connections`,
        source: `${awaitSource}; ${clusterReadySource}`,
      });
    }
    for (const cluster of clusters) {
      const annotations = metadataOf(cluster).annotations;
      for (const role of managedRolesOf(cluster).filter(
        (name) => !awaitsListMember(annotations, reconciledRolesPath, name),
      )) {
        findings.push({
          subject: `Cluster ${nameOf(cluster)}`,
          path: 'metadata.annotations["pulumi.com/waitFor"]',
          message: `no await on managed role ${role} being reconciled (jsonpath={${reconciledRolesPath}[?@=='${role}']}): ${group.name} (the migration Job) may start before CloudNativePG has created the role`,
          source: `${awaitSource}; ${rolesReconciledSource}`,
        });
      }
    }
    for (const job of objectsOf(group).filter((o) => o.kind === 'Job')) {
      findings.push(...jobWaitsForPrimary(job, clusters));
    }
  }

  for (const group of groups.filter((g) => objectsOf(g).some((o) => o.kind === 'Deployment'))) {
    const poolers = before(group).filter((r) => r.type === poolerType);
    for (const pooler of poolers.filter(
      (p) => !awaitsJsonPath(metadataOf(p).annotations, '.status.phase', 'active'),
    )) {
      findings.push({
        subject: `Pooler ${nameOf(pooler)}`,
        path: 'metadata.annotations["pulumi.com/waitFor"]',
        message: `no await on status.phase=active: ${group.name} starts before PgBouncer is reconciled`,
        source: `${awaitSource}; ${poolerPhaseSource}`,
      });
    }
  }
  return findings;
}

/** The Job has a deadline and an init container that names the primary's `-rw` host (CNPG: `<cluster>-rw`). */
function jobWaitsForPrimary(job: KubeObject, clusters: RegisteredResource[]): Finding[] {
  const subject = `Job ${job.metadata?.namespace ?? ''}/${job.metadata?.name}`.replace(' /', ' ');
  const spec = (job.spec ?? {}) as {
    activeDeadlineSeconds?: number;
    template?: { spec?: { initContainers?: { command?: string[]; args?: string[] }[] } };
  };
  const hosts = clusters.map((c) => `${metadataOf(c).name}-rw.${metadataOf(c).namespace}`);
  const waits = (spec.template?.spec?.initContainers ?? []).some((container) =>
    [...(container.command ?? []), ...(container.args ?? [])].some((arg) =>
      hosts.some((host) => arg === host || arg.startsWith(`${host}.`)),
    ),
  );
  const findings: Finding[] = [];
  if (!waits) {
    findings.push({
      subject,
      path: 'spec.template.spec.initContainers',
      message: `no init container waits for the primary (${hosts.join(', ') || 'no Cluster awaited'}): a restarting primary uses up the Job's retries`,
      source: 'cloudnative-pg@v1.30.0 docs/src/service_management.md (the -rw Service points at the primary)',
    });
  }
  if (spec.activeDeadlineSeconds === undefined) {
    findings.push({
      subject,
      path: 'spec.activeDeadlineSeconds',
      message: 'no deadline: a migration waiting for a database that never comes blocks the rollout forever',
      source: 'kubernetes Job spec.activeDeadlineSeconds',
    });
  }
  return findings;
}
