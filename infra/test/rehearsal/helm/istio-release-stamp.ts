import { parse, stringify } from 'yaml';

/**
 * The Chart.yaml Istio publishes, from the one in its source tree. The tree's Chart.yaml says `version: 1.0.0`
 * ("never actually shipped"); Istio's release build sets `version` and `appVersion` to the release tag (and the
 * version of `file://` dependencies), writes the file back marshalled from Helm's chart.Metadata (keys sorted,
 * comments dropped), then runs `helm package`: istio/release-builder@1.30.3 pkg/build/helm.go
 * stampChartForRelease. refresh.ts applies the same stamp, so the fixture is the Chart.yaml the published chart
 * carries and the version check reads the version Helm's repository index lists.
 */
export function stampIstioChartYaml(source: string, release: string): string {
  const chart = parse(source) as Record<string, unknown>;
  const dependencies = Array.isArray(chart.dependencies)
    ? (chart.dependencies as Record<string, unknown>[]).map((dep) =>
        String(dep.repository ?? '').includes('file://') ? { ...dep, version: release } : dep,
      )
    : undefined;
  const stamped = {
    ...chart,
    version: release,
    appVersion: release,
    ...(dependencies ? { dependencies } : {}),
  };
  return stringify(stamped, { sortMapEntries: true, indentSeq: false });
}
