import { postgres } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import {
  backupBase,
  loadStageConfig,
  parseStageConfig,
  readStackFile,
  StageConfigError,
} from '../src/config/index.js';
import { mockPlatform, type RegisteredResource } from '../src/testing/index.js';
import { isCustomResource, type KubeObject, kubeObjectsOf } from './rehearsal/crd/custom-resource-objects.js';
import { checkCustomResources } from './rehearsal/crd/validate-custom-resource.js';
import { formatFindings } from './rehearsal/findings.js';

// biome-ignore lint/suspicious/noExplicitAny: registered inputs are arbitrary JSON; the assertions are the check.
type Json = any;

const digest = { 'app:imageDigest': `sha256:${'d'.repeat(64)}` };

/** prod's stack file with its postgres settings changed as a stage's operator would. */
function prodWith(change: (pg: Record<string, unknown>) => void) {
  const raw: Record<string, unknown> = structuredClone({ ...readStackFile('prod'), ...digest });
  change(raw['platform:postgres'] as Record<string, unknown>);
  return raw;
}

function problems(stage: string, raw: Record<string, unknown>): readonly string[] {
  try {
    parseStageConfig(stage, raw);
    return [];
  } catch (error) {
    if (error instanceof StageConfigError) return error.problems;
    throw error;
  }
}

const restoring = prodWith((pg) => {
  (pg.backup as Record<string, unknown>).serverName = 'platform-db-r1';
  pg.recovery = { serverName: postgres.cluster, targetTime: '2026-12-05T07:00:00Z' };
});

// Mocks are process-wide: each platform is registered in turn, before any assertion.
const restoredPlatform = (await mockPlatform('prod', { config: parseStageConfig('prod', restoring) }))
  .resources;
const otherStore = prodWith((pg) => {
  pg.recovery = { serverName: postgres.cluster, destinationPath: 's3://platform-db-backups-staging/' };
});
const otherStorePlatform = (await mockPlatform('prod', { config: parseStageConfig('prod', otherStore) }))
  .resources;

const postgresKinds = new Set(['Cluster', 'ObjectStore', 'ScheduledBackup']);
const postgresObjects = (resources: RegisteredResource[]) =>
  kubeObjectsOf(resources).filter((o) => isCustomResource(o) && postgresKinds.has(o.kind));
const one = (objects: KubeObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as KubeObject & { spec: Json };
};

describe('backup settings per stage: one base, each stack over it', () => {
  it('staging takes the base schedule; prod its own; each keeps its retention and bucket', () => {
    const staging = loadStageConfig('staging').postgres.backup!;
    const prod = loadStageConfig('prod').postgres.backup!;
    expect(staging).toMatchObject({ schedule: backupBase.schedule, retentionPolicy: '14d' });
    expect(prod).toMatchObject({ schedule: '0 0 2 * * *', retentionPolicy: '30d' });
    expect([staging.serverName, prod.serverName]).toEqual([postgres.cluster, postgres.cluster]);
    expect(staging.destinationPath).toBe('s3://platform-db-backups-staging/');
  });

  it('refuses a retention the ObjectStore CRD refuses (its pattern starts at 1)', () => {
    const raw = prodWith((pg) => {
      (pg.backup as Record<string, unknown>).retentionPolicy = '0d';
    });
    expect(problems('prod', raw)).toEqual([
      'platform:postgres.backup.retentionPolicy: expected a retention such as 30d, 4w or 3m',
    ]);
  });
});

describe('recovery: a Cluster bootstrapped from the archive to a point in time', () => {
  it('refuses to archive into the folder it restores from', () => {
    const raw = prodWith((pg) => {
      pg.recovery = { serverName: postgres.cluster };
    });
    expect(problems('prod', raw)).toEqual([
      'platform:postgres.backup.serverName: the restored cluster would archive into "platform-db", the folder it restores from; give backup.serverName a new name',
    ]);
  });

  it('refuses recovery without backup credentials, and a target time without an offset', () => {
    const dev: Record<string, unknown> = structuredClone({ ...readStackFile('dev'), ...digest });
    (dev['platform:postgres'] as Record<string, unknown>).recovery = { serverName: postgres.cluster };
    expect(problems('dev', dev)).toEqual([
      'platform:postgres.recovery: recovery reads the archive with the backup credentials: configure backup too',
    ]);
    const local = prodWith((pg) => {
      (pg.backup as Record<string, unknown>).serverName = 'platform-db-r1';
      pg.recovery = { serverName: postgres.cluster, targetTime: '2026-12-05 07:00' };
    });
    expect(problems('prod', local)).toHaveLength(1);
  });

  it('bootstraps from the stage’s store up to the target, and archives into the new folder', () => {
    const objects = postgresObjects(restoredPlatform);
    const cluster = one(objects, 'Cluster', postgres.cluster).spec;
    expect(cluster.bootstrap).toEqual({
      recovery: {
        source: 'origin',
        database: postgres.database,
        owner: postgres.owner,
        secret: { name: 'platform-db-app-credentials' },
        recoveryTarget: { targetTime: '2026-12-05T07:00:00Z' },
      },
    });
    expect(cluster.externalClusters).toEqual([
      {
        name: 'origin',
        plugin: {
          name: 'barman-cloud.cloudnative-pg.io',
          parameters: { barmanObjectName: 'platform-db-backups', serverName: postgres.cluster },
        },
      },
    ]);
    expect(cluster.plugins[0].parameters).toEqual({
      barmanObjectName: 'platform-db-backups',
      serverName: 'platform-db-r1',
    });
  });

  it('reads another bucket through a second ObjectStore that prunes nothing', () => {
    const objects = postgresObjects(otherStorePlatform);
    const source = one(objects, 'ObjectStore', 'platform-db-recovery-source').spec;
    expect(source.configuration.destinationPath).toBe('s3://platform-db-backups-staging/');
    expect(source.retentionPolicy).toBeUndefined();
    const cluster = one(objects, 'Cluster', postgres.cluster).spec;
    expect(cluster.externalClusters[0].plugin.parameters.barmanObjectName).toBe(
      'platform-db-recovery-source',
    );
    // Reading another bucket, the stage's own folder name does not clash.
    expect(cluster.plugins[0].parameters.serverName).toBe(postgres.cluster);
  });

  it.each([
    ['the stage’s store', restoredPlatform],
    ['another bucket', otherStorePlatform],
  ])('validates against the pinned Cluster and ObjectStore CRDs (%s)', (_, resources) => {
    const findings = checkCustomResources(postgresObjects(resources));
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('the CRD check sees a misplaced recovery field (planted: targetTime outside recoveryTarget)', () => {
    const cluster = structuredClone(one(postgresObjects(restoredPlatform), 'Cluster', postgres.cluster));
    const recovery = cluster.spec.bootstrap.recovery;
    recovery.targetTime = recovery.recoveryTarget.targetTime;
    delete recovery.recoveryTarget;
    const findings = checkCustomResources([cluster]);
    expect(findings.map((f) => f.path)).toEqual(['spec.bootstrap.recovery.targetTime']);
  });
});
