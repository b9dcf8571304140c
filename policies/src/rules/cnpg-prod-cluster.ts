import { isKind, type KubeObject, nameOf, namespaceOf } from '../model/kube-object.js';
import type { SetRule, Violation } from '../model/rule.js';

const cnpgGroup = 'postgresql.cnpg.io';
const barmanCloudPlugin = 'barman-cloud.cloudnative-pg.io';
/** A primary and two standbys: a failover still leaves a standby to fail over to. */
const minimumInstances = 3;

interface ClusterSpec {
  instances?: number;
  backup?: { barmanObjectStore?: unknown };
  plugins?: { name?: string; isWALArchiver?: boolean; enabled?: boolean }[];
}

interface ScheduledBackupSpec {
  cluster?: { name?: string };
  schedule?: string;
  suspend?: boolean;
}

export const cnpgProdCluster: SetRule = {
  scope: 'set',
  name: 'cnpg-prod-cluster',
  description: `In prod, every CloudNativePG Cluster runs at least ${minimumInstances} instances, archives to a backup destination, and has an active ScheduledBackup.`,
  severity: 'critical',
  remediation: `Set spec.instances to ${minimumInstances} or more; configure a backup destination (the Barman Cloud plugin in spec.plugins, or spec.backup.barmanObjectStore); add a ScheduledBackup with spec.cluster.name set to the cluster and a schedule.`,
  check(objects, context) {
    if (context.stage !== 'prod') return [];
    return objects
      .filter((object) => isKind(object, cnpgGroup, 'Cluster'))
      .flatMap((cluster): Violation[] =>
        clusterProblems(cluster, objects).map((message) => ({ object: cluster, message })),
      );
  },
};

function clusterProblems(cluster: KubeObject, objects: readonly KubeObject[]): string[] {
  const spec = (cluster.spec ?? {}) as ClusterSpec;
  const instances = spec.instances ?? 1;
  return [
    ...(instances < minimumInstances
      ? [`runs ${instances} instance(s), prod needs at least ${minimumInstances}`]
      : []),
    ...(hasBackupDestination(spec)
      ? []
      : ['has no backup destination (Barman Cloud plugin or barmanObjectStore)']),
    ...(hasActiveSchedule(cluster, objects) ? [] : ['no active ScheduledBackup targets it']),
  ];
}

function hasBackupDestination(spec: ClusterSpec): boolean {
  const archiver = (spec.plugins ?? []).some(
    (plugin) =>
      plugin.enabled !== false && (plugin.isWALArchiver === true || plugin.name === barmanCloudPlugin),
  );
  return archiver || spec.backup?.barmanObjectStore !== undefined;
}

function hasActiveSchedule(cluster: KubeObject, objects: readonly KubeObject[]): boolean {
  return objects.some((object) => {
    if (!isKind(object, cnpgGroup, 'ScheduledBackup') || namespaceOf(object) !== namespaceOf(cluster))
      return false;
    const spec = (object.spec ?? {}) as ScheduledBackupSpec;
    return spec.cluster?.name === nameOf(cluster) && Boolean(spec.schedule) && spec.suspend !== true;
  });
}
