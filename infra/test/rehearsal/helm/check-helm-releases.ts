import { type Stage, stages } from '@platform/charts/contract';
import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';
import { chartFileSource, findChart, loadChart, releaseChartRef } from './chart-fixtures.js';
import { templateRules } from './chart-template-rules.js';
import { clusterCapabilities } from './cluster-capabilities.js';
import { coalesceValues, type Values } from './helm-values.js';
import { unmappedGatewayPorts } from './kind-port-mappings.js';
import { awaitProblems, type ClusterCapabilities } from './release-await.js';
import { validateValues } from './values-schema.js';

export const helmReleaseType = 'kubernetes:helm.sh/v3:Release';

/** A release's chart, its values as Helm coalesces them, and what its templates read. */
export function resolveRelease(release: RegisteredResource) {
  const inputs = release.inputs;
  const fixture = findChart(releaseChartRef(inputs), String(inputs.version ?? ''));
  if (!fixture) return undefined;
  const chart = loadChart(fixture);
  const values = coalesceValues(chart.defaults, (inputs.values ?? {}) as Values);
  const templateValues = fixture.templateValues ? fixture.templateValues(values) : values;
  return { chart, values, templateValues };
}

export const releaseSubject = (release: RegisteredResource) =>
  `Release ${String(release.inputs.namespace ?? 'default')}/${String(release.inputs.name ?? release.name)}`;

/**
 * Every Helm release against what `helm install` of its pinned chart would reject: the chart's
 * values.schema.json over the coalesced values, the chart's `fail`/`required` templates, and whether the
 * release can finish waiting on this cluster (see release-await.ts).
 */
export function checkHelmReleases(
  resources: readonly RegisteredResource[],
  cluster: ClusterCapabilities = clusterOfStack(resources),
): Finding[] {
  return resources
    .filter((r) => r.type === helmReleaseType)
    .flatMap((release) => checkRelease(release, cluster));
}

/**
 * The cluster of the stack the resources were registered in (`urn:pulumi:<stack>::...`), from its stack file;
 * resources of no known stack are judged as on a cluster that provisions load balancers.
 */
function clusterOfStack(resources: readonly RegisteredResource[]): ClusterCapabilities {
  const stack = resources[0]?.urn.split(':')[2];
  return stages.includes(stack as Stage)
    ? clusterCapabilities(stack as Stage)
    : { loadBalancerAddresses: true };
}

function checkRelease(release: RegisteredResource, cluster: ClusterCapabilities): Finding[] {
  const subject = releaseSubject(release);
  const resolved = resolveRelease(release);
  if (!resolved) {
    return [
      {
        subject,
        path: 'chart',
        message: `no upstream fixture for ${releaseChartRef(release.inputs)}@${String(release.inputs.version)}: store its values.yaml and values.schema.json under infra/test/rehearsal/upstream/`,
        source: 'infra/test/rehearsal/helm/chart-fixtures.ts',
      },
    ];
  }
  const { chart, values, templateValues } = resolved;
  const { folder } = chart.fixture;
  const schemaFindings = chart.schema
    ? validateValues(chart.schema, values).map((problem) => ({
        subject,
        ...problem,
        source: chartFileSource(chart.fixture, 'values.schema.json'),
      }))
    : [];
  const templateFindings = templateRules
    .filter((rule) => rule.chart === folder)
    .flatMap((rule) => {
      const message = rule.check(templateValues, chart.chartYaml);
      return message ? [{ subject, path: rule.path, message, source: rule.source }] : [];
    });
  const awaitFindings = awaitProblems(folder, release.inputs, templateValues, cluster).map((p) => ({
    subject,
    ...p,
  }));
  const reachFindings = unmappedGatewayPorts(folder, templateValues, cluster).map((p) => ({ subject, ...p }));
  return [...schemaFindings, ...templateFindings, ...awaitFindings, ...reachFindings];
}
