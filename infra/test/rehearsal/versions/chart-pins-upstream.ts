import type { ChartPin } from '../../../src/cluster/chart-pins.js';
import type { Finding } from '../findings.js';
import type { ChartFixture } from './chart-fixtures.js';

/**
 * Every pinned chart version must exist upstream. Offline, "exists" means: a fixture under upstream/ holds that
 * chart's published Chart.yaml with exactly the pinned version (Helm resolves `--version` against the
 * repository index, whose entries are the charts' Chart.yaml versions: helm.sh/helm/v3 pkg/repo/index.go Get).
 * A pin with no such fixture is a finding: either the version was never published, or nobody checked it.
 */
export function chartPinFindings(
  pins: Readonly<Record<string, ChartPin>>,
  fixtures: readonly ChartFixture[],
): Finding[] {
  return Object.entries(pins).flatMap(([key, pin]): Finding[] => {
    const sameChart = fixtures.filter((f) => f.name === pin.chart);
    if (sameChart.some((f) => f.version === pin.version)) return [];
    const seen = sameChart.map((f) => `${f.folder} says ${f.version}`).join(', ');
    return [
      {
        subject: `chart pin ${key} (${pin.chart} ${pin.version})`,
        path: 'infra/src/cluster/chart-pins.ts',
        message: `no upstream fixture holds ${pin.chart}'s Chart.yaml at version ${pin.version} (${seen || 'no fixture of this chart'}); fetch the published chart from ${pin.repository}`,
        source:
          'helm.sh/helm/v3 pkg/repo/index.go (a chart version resolves only if the repository index lists it)',
      },
    ];
  });
}
