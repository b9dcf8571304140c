import { describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../src/config/index.js';
import { runDrill } from '../../src/dr/drill.js';
import { drillManifests, drillNames } from '../../src/dr/drill-manifests.js';
import type { Kubectl } from '../../src/dr/kubectl.js';
import { isCustomResource, type KubeObject } from '../rehearsal/crd/custom-resource-objects.js';
import { checkCustomResources } from '../rehearsal/crd/validate-custom-resource.js';
import { formatFindings } from '../rehearsal/findings.js';

const prod = loadStageConfig('prod');
const plan = {
  namespace: 'restore-drill-test',
  serverName: prod.postgres.backup!.serverName,
  targetTime: '2026-12-05T07:00:00Z',
  backup: prod.postgres.backup!,
  storage: prod.postgres.storage,
};
// biome-ignore lint/suspicious/noExplicitAny: manifests are arbitrary JSON; the assertions are the check.
type Spec = any;
const byKind = (kind: string) =>
  drillManifests(plan).find((o) => o.kind === kind) as KubeObject & { spec: Spec };

describe('the drill’s throwaway restore', () => {
  it('validates against the pinned Cluster and ObjectStore CRDs', () => {
    const objects = drillManifests(plan) as KubeObject[];
    expect(objects.filter(isCustomResource).map((o) => o.kind)).toEqual(['ObjectStore', 'Cluster']);
    const findings = checkCustomResources(objects);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('never writes to the bucket: no WAL archiver, no retention on the store it reads', () => {
    expect(byKind('Cluster').spec.plugins).toBeUndefined();
    expect(byKind('ObjectStore').spec.retentionPolicy).toBeUndefined();
    expect(byKind('ObjectStore').spec.configuration.destinationPath).toBe(
      prod.postgres.backup!.destinationPath,
    );
  });

  it('restores the stage’s folder up to the target, as one instance in the scratch namespace', () => {
    const cluster = byKind('Cluster');
    expect(cluster.metadata?.namespace).toBe(plan.namespace);
    expect(cluster.spec.instances).toBe(1);
    expect(cluster.spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: plan.targetTime });
    expect(cluster.spec.externalClusters[0].plugin.parameters).toEqual({
      barmanObjectName: drillNames.objectStore,
      serverName: 'platform-db',
    });
  });
});

/** kubectl as the drill drives it, answering from a script; `wait` fails as a restore that never gets Ready. */
function scriptedKubectl(calls: string[]): Kubectl {
  return {
    async run(args: readonly string[]) {
      calls.push(args.join(' '));
      if (args[0] === 'wait') throw new Error('kubectl wait: timed out waiting for the condition');
      return '';
    },
    async apply(objects: readonly object[]) {
      calls.push(`apply ${objects.map((o) => (o as KubeObject).kind).join(',')}`);
      return '';
    },
    async getJson<T>(args: readonly string[]) {
      calls.push(`get ${args.join(' ')}`);
      return { type: 'Opaque', data: { ACCESS_KEY_ID: 'eA==', ACCESS_SECRET_KEY: 'eQ==' } } as T;
    },
    portForward() {
      throw new Error('not reached');
    },
  } as unknown as Kubectl;
}

describe('the drill tears down whatever happens', () => {
  it('deletes the scratch namespace when the restore never gets Ready', async () => {
    const calls: string[] = [];
    const drill = runDrill({
      config: prod,
      kubectl: scriptedKubectl(calls),
      namespace: 'restore-drill-x',
      readyTimeoutSeconds: 1,
      keep: false,
      log: () => undefined,
    });
    await expect(drill).rejects.toThrow(/timed out/);
    expect(calls).toEqual([
      'apply Namespace',
      'get secret platform-db-backup-credentials -n postgres',
      'apply Secret',
      'apply ObjectStore,Cluster',
      'wait -n restore-drill-x cluster/platform-db-drill --for=condition=Ready --timeout=1s',
      'delete namespace restore-drill-x --wait=true --timeout=10m',
    ]);
  });

  it('refuses a stage without backups before creating anything', async () => {
    const calls: string[] = [];
    const drill = runDrill({
      config: loadStageConfig('dev'),
      kubectl: scriptedKubectl(calls),
      namespace: 'restore-drill-y',
      readyTimeoutSeconds: 1,
      keep: false,
      log: () => undefined,
    });
    await expect(drill).rejects.toThrow(/no backups/);
    expect(calls).toEqual([]);
  });
});
