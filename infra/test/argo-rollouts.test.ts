import { environments } from '@platform/charts';
import { type Stage, service, stages } from '@platform/charts/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartPins } from '../src/cluster/chart-pins.js';
import { argoRollouts } from '../src/cluster/platform-names.js';
import { type MockedPlatform, mockPlatform, type RegisteredResource } from '../src/testing/index.js';

const platforms = {} as Record<Stage, MockedPlatform>;

beforeAll(async () => {
  // Mocks are process-wide, so the stages run one after another.
  for (const stage of stages) platforms[stage] = await mockPlatform(stage);
}, 60_000);

const find = (stage: Stage, type: string, name: string): RegisteredResource | undefined =>
  platforms[stage].resources.find((r) => r.type === type && r.name === name);
const releaseType = 'kubernetes:helm.sh/v3:Release';

/** Every resource `key` waits for, through dependencies and the children of the components it names. */
function upstream(stage: Stage, key: string, seen = new Set<string>()): Set<string> {
  const resources = platforms[stage].resources;
  const byKey = new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));
  for (const dep of byKey.get(key)?.dependsOn ?? []) {
    const children = resources.filter((r) => r.parent === dep).map((r) => `${r.type}::${r.name}`);
    for (const reached of [dep, ...children]) {
      if (seen.has(reached)) continue;
      seen.add(reached);
      upstream(stage, reached, seen);
    }
  }
  return seen;
}

describe.each(stages)('canary engine for %s', (stage) => {
  const canary = environments[stage].canary.enabled;

  it(
    canary ? 'installs Argo Rollouts at the pinned chart, outside the mesh' : 'installs no canary engine',
    () => {
      const release = find(stage, releaseType, argoRollouts.release);
      if (!canary) {
        expect(release).toBeUndefined();
        return;
      }
      expect(release?.inputs).toMatchObject({
        chart: chartPins.argoRollouts.chart,
        version: chartPins.argoRollouts.version,
        repositoryOpts: { repo: chartPins.argoRollouts.repository },
        namespace: argoRollouts.namespace,
        values: { installCRDs: true, keepCRDs: true, dashboard: { enabled: false } },
      });
      const namespace = find(stage, 'kubernetes:core/v1:Namespace', argoRollouts.namespace);
      expect(namespace?.inputs).toMatchObject({ metadata: { labels: { 'istio-injection': 'disabled' } } });
    },
  );

  it.runIf(canary)('applies the service’s Rollout only once the controller and its CRDs are in', () => {
    const workload = `kubernetes:yaml/v2:ConfigGroup::${service.name}-workload`;
    expect(upstream(stage, workload)).toContain(`${releaseType}::${argoRollouts.release}`);
  });
});
