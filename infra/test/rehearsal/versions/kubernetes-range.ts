import semver from 'semver';
import type { Finding } from '../findings.js';
import type { ChartFixture } from './chart-fixtures.js';

export interface KubernetesRange {
  minimum: string;
  maximum: string;
}

/** What a component says about the clusters it runs on. */
export interface KubernetesSupport {
  component: string;
  minimum: string;
  /** Newest version it is tested on, where it says. */
  tested?: string;
  source: string;
}

const minorOf = (version: string) => {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major * 1000 + minor;
};

/**
 * The supported Kubernetes range must lie inside what every installed component supports: no older than any
 * component's minimum, no newer than what the mesh is tested on; and every chart's `kubeVersion` constraint
 * must accept both ends (Helm refuses to install a chart whose kubeVersion the cluster fails:
 * helm.sh/helm/v3 pkg/action/install.go, "chart requires kubeVersion").
 */
export function kubernetesRangeFindings(
  range: KubernetesRange,
  support: readonly KubernetesSupport[],
  charts: readonly ChartFixture[],
): Finding[] {
  const subject = `supported Kubernetes ${range.minimum}–${range.maximum}`;
  const path = 'charts/src/versions.ts kubernetes';
  const components = support.flatMap((s): Finding[] => [
    ...(minorOf(range.minimum) < minorOf(s.minimum)
      ? [
          {
            subject,
            path,
            message: `${s.component} needs Kubernetes ${s.minimum} or newer`,
            source: s.source,
          },
        ]
      : []),
    ...(s.tested !== undefined && minorOf(range.maximum) > minorOf(s.tested)
      ? [
          {
            subject,
            path,
            message: `${s.component} is tested up to Kubernetes ${s.tested} only`,
            source: s.source,
          },
        ]
      : []),
  ]);
  const constraints = charts.flatMap((chart): Finding[] => {
    if (!chart.kubeVersion) return [];
    return [range.minimum, range.maximum]
      .filter((end) => !semver.satisfies(`${end}.0`, chart.kubeVersion!, { includePrerelease: true }))
      .map((end) => ({
        subject,
        path,
        message: `chart ${chart.name} ${chart.version} requires kubeVersion "${chart.kubeVersion}", which Kubernetes ${end} fails`,
        source: `upstream/${chart.folder}/Chart.yaml kubeVersion; helm.sh/helm/v3 pkg/action/install.go`,
      }));
  });
  return [...components, ...constraints];
}

/** A Kubernetes version the repository runs (the local cluster's node image) must lie in the supported range. */
export function inRangeFindings(
  subject: string,
  path: string,
  version: string,
  range: KubernetesRange,
): Finding[] {
  const minor = minorOf(version);
  if (minor >= minorOf(range.minimum) && minor <= minorOf(range.maximum)) return [];
  return [
    {
      subject,
      path,
      message: `runs Kubernetes ${version}, outside the supported ${range.minimum}–${range.maximum}`,
      source: 'charts/src/versions.ts',
    },
  ];
}
