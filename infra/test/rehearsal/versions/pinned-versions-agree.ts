import type { ChartPin } from '../../../src/cluster/chart-pins.js';
import type { Finding } from '../findings.js';
import type { ChartFixture } from './chart-fixtures.js';

export interface StatedVersions {
  istio: string;
  cloudnativePg: { chart: string; operator: string };
}

/**
 * The Helm pins must be the versions charts/src/versions.ts states: Istio's three charts at its one version,
 * the CloudNativePG chart at its version, and that chart (its published Chart.yaml) installing the stated
 * operator version.
 */
export function pinnedVersionsAgreeFindings(
  pins: Readonly<Record<string, ChartPin>>,
  stated: StatedVersions,
  fixtures: readonly ChartFixture[],
): Finding[] {
  const expected: [string, string, string][] = [
    ...Object.entries(pins)
      .filter(([, pin]) => pin.repository.includes('istio'))
      .map(([key, pin]): [string, string, string] => [key, pin.version, stated.istio]),
    ...Object.entries(pins)
      .filter(([, pin]) => pin.chart === 'cloudnative-pg')
      .map(([key, pin]): [string, string, string] => [key, pin.version, stated.cloudnativePg.chart]),
  ];
  const pinFindings = expected
    .filter(([, pinned, wanted]) => pinned !== wanted)
    .map(([key, pinned, wanted]) => ({
      subject: `chart pin ${key}`,
      path: 'infra/src/cluster/chart-pins.ts',
      message: `pins ${pinned}, but charts/src/versions.ts states ${wanted}`,
      source: 'charts/src/versions.ts',
    }));
  const cnpg = fixtures.find((f) => f.name === 'cloudnative-pg' && f.version === stated.cloudnativePg.chart);
  const operatorFindings =
    cnpg && cnpg.appVersion !== stated.cloudnativePg.operator
      ? [
          {
            subject: `cloudnative-pg ${cnpg.version}`,
            path: 'charts/src/versions.ts cloudnativePg.operator',
            message: `states operator ${stated.cloudnativePg.operator}, but the chart installs ${cnpg.appVersion}`,
            source: `upstream/${cnpg.folder}/Chart.yaml appVersion`,
          },
        ]
      : [];
  return [...pinFindings, ...operatorFindings];
}
