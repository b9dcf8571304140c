import { postgres } from '@platform/charts/contract';
import type { BackupConfig, PostgresConfig } from '../config/index.js';
import { objectStoreSpec, recoveryBootstrap } from '../postgres/barman-cloud.js';

export interface DrillPlan {
  /** Scratch namespace, created for the drill and deleted after it. */
  namespace: string;
  /** Folder in the bucket to restore (the stage's backup.serverName unless told otherwise). */
  serverName: string;
  /** RFC 3339; absent: replay the whole archive. */
  targetTime?: string;
  backup: BackupConfig;
  storage: PostgresConfig['storage'];
}

export const drillNames = {
  cluster: `${postgres.cluster}-drill`,
  objectStore: `${postgres.cluster}-drill-source`,
  label: { 'platform.example.com/restore-drill': 'true' },
} as const;

/**
 * The throwaway restore: its namespace, an ObjectStore reading the stage's bucket (no retention: the drill must
 * never prune it), and a one-instance Cluster bootstrapped from it. The Cluster has no `plugins` entry, so it
 * archives nothing: a drill never writes to the bucket it reads. Superuser access is on so the verification
 * can read every table and catalog. The backup credentials Secret is copied in at run time.
 */
export function drillManifests(plan: DrillPlan) {
  const metadata = (name: string) => ({ name, namespace: plan.namespace, labels: drillNames.label });
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: plan.namespace, labels: drillNames.label },
    },
    {
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: metadata(drillNames.objectStore),
      spec: objectStoreSpec(plan.backup),
    },
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: metadata(drillNames.cluster),
      spec: {
        instances: 1,
        storage: plan.storage,
        enableSuperuserAccess: true,
        ...recoveryBootstrap({
          serverName: plan.serverName,
          objectStore: drillNames.objectStore,
          targetTime: plan.targetTime,
          database: postgres.database,
          owner: postgres.owner,
        }),
      },
    },
  ];
}
