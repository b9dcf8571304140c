import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { coalesceValues, isMap, type Values } from './helm-values.js';
import { stampIstioChartYaml } from './istio-release-stamp.js';

/**
 * The charts the rehearsal knows, each at one version, with the upstream files stored under
 * `../upstream/<folder>/` (values.yaml, values.schema.json where the chart has one, Chart.yaml). A release of a
 * chart or version missing here is itself a finding: bumping a pin means refreshing its fixture.
 */
export interface ChartFixture {
  /** Chart reference as a release names it: `<repository>/<chart>` (OCI references are already one string). */
  ref: string;
  version: string;
  folder: string;
  /** Upstream repository and tag (`owner/repo@tag`) and the chart's folder there ('' for the repository root). */
  source: string;
  path: string;
  /** For the fixture's README: what it is, its licence, and anything a reader should know about the source. */
  title: string;
  licence: string;
  note?: string;
  /**
   * Values the published chart carries but the source tree does not. Istio's release build rewrites the
   * placeholders `hub: registry.istio.io/testing` / `tag: latest` of manifests/charts/* to the release's hub and
   * version (istio/release-builder@1.30.3 pkg/build/helm.go updateValues); the packaged chart is what
   * `helm install` reads.
   */
  published?: Values;
  /**
   * The published Chart.yaml from the source tree's, for charts whose release build rewrites it (Istio's:
   * see istio-release-stamp.ts). refresh.ts stores the result, so the fixture's Chart.yaml is the published one.
   */
  publishChartYaml?: (source: string) => string;
  /** What the templates read as `.Values` (default: the coalesced values as they are). */
  templateValues?: (values: Values) => Values;
}

const istioRepo = 'https://istio-release.storage.googleapis.com/charts';
const cnpgRepo = 'https://cloudnative-pg.github.io/charts';
const hashicorpRepo = 'https://helm.releases.hashicorp.com';
const otelRepo = 'https://open-telemetry.github.io/opentelemetry-helm-charts';
const argoRepo = 'https://argoproj.github.io/argo-helm';

/**
 * Istio's charts keep their defaults under `_internal_defaults_do_not_set`; templates/zzz_profile.yaml merges
 * the defaults, the selected profile and the user's values (last wins) and renders from that
 * (istio/istio@1.30.3 manifests/charts/gateway/templates/zzz_profile.yaml).
 */
function istioTemplateValues(values: Values): Values {
  const { _internal_defaults_do_not_set: defaults, ...user } = values;
  return coalesceValues(isMap(defaults) ? defaults : {}, user);
}

const istioPublished = (version: string): Values => ({
  _internal_defaults_do_not_set: { global: { hub: 'docker.io/istio', tag: version } },
});

const istioVersion = '1.30.3';
const istioSource = `istio/istio@${istioVersion}`;
const istioNote =
  `values.yaml (and values.schema.json) as the tag holds them. Chart.yaml as the published chart carries it: Istio's ` +
  `release build sets its version and appVersion to the release tag, ${istioVersion} (istio/release-builder@1.30.3 ` +
  'pkg/build/helm.go stampChartForRelease; the source tree says 1.0.0). The build also stamps `global.hub: ' +
  'docker.io/istio` and `global.tag` into values.yaml; the rehearsal applies that on reading (see ' +
  'helm/chart-fixtures.ts).';
const publishIstioChartYaml = (source: string) => stampIstioChartYaml(source, istioVersion);
const bitnamiNote =
  "Kept for the rehearsal's planted-defect case: the values the platform used to send fail this chart's own " +
  'validation, and its default images live in docker.io/bitnami, retired in 2025 ' +
  '(https://github.com/bitnami/containers/issues/83267).';

export const chartFixtures: readonly ChartFixture[] = [
  {
    ref: `${istioRepo}/base`,
    version: istioVersion,
    folder: `istio-base@${istioVersion}`,
    source: istioSource,
    path: 'manifests/charts/base',
    title: `Istio base chart ${istioVersion}`,
    licence: 'Apache-2.0 (istio/istio LICENSE)',
    note: istioNote,
    publishChartYaml: publishIstioChartYaml,
    templateValues: istioTemplateValues,
  },
  {
    ref: `${istioRepo}/istiod`,
    version: istioVersion,
    folder: `istiod@${istioVersion}`,
    source: istioSource,
    path: 'manifests/charts/istio-control/istio-discovery',
    title: `Istio istiod chart ${istioVersion}`,
    licence: 'Apache-2.0 (istio/istio LICENSE)',
    note: istioNote,
    publishChartYaml: publishIstioChartYaml,
    published: istioPublished(istioVersion),
    templateValues: istioTemplateValues,
  },
  {
    ref: `${istioRepo}/gateway`,
    version: istioVersion,
    folder: `istio-gateway@${istioVersion}`,
    source: istioSource,
    path: 'manifests/charts/gateway',
    title: `Istio gateway chart ${istioVersion}`,
    licence: 'Apache-2.0 (istio/istio LICENSE)',
    note: istioNote,
    publishChartYaml: publishIstioChartYaml,
    templateValues: istioTemplateValues,
  },
  {
    ref: `${cnpgRepo}/cloudnative-pg`,
    version: '0.29.0',
    folder: 'cloudnative-pg@0.29.0',
    source: 'cloudnative-pg/charts@cloudnative-pg-v0.29.0',
    path: 'charts/cloudnative-pg',
    title: 'CloudNativePG operator chart 0.29.0',
    licence: 'Apache-2.0 (charts/cloudnative-pg/LICENSE)',
  },
  {
    ref: `${cnpgRepo}/plugin-barman-cloud`,
    version: '0.7.0',
    folder: 'plugin-barman-cloud@0.7.0',
    source: 'cloudnative-pg/charts@plugin-barman-cloud-v0.7.0',
    path: 'charts/plugin-barman-cloud',
    title: 'CloudNativePG Barman Cloud plugin chart 0.7.0',
    licence: 'Apache-2.0 (charts/plugin-barman-cloud/LICENSE)',
  },
  {
    ref: `${argoRepo}/argo-rollouts`,
    version: '2.41.0',
    folder: 'argo-rollouts@2.41.0',
    source: 'argoproj/argo-helm@argo-rollouts-2.41.0',
    path: 'charts/argo-rollouts',
    title: 'Argo Rollouts chart 2.41.0',
    licence: 'Apache-2.0 (argoproj/argo-helm LICENSE)',
    note: 'The chart has no values.schema.json; its appVersion, v1.9.0, is the controller release it installs.',
  },
  {
    ref: `${hashicorpRepo}/vault`,
    version: '0.34.1',
    folder: 'vault@0.34.1',
    source: 'hashicorp/vault-helm@v0.34.1',
    path: '',
    title: 'HashiCorp Vault chart 0.34.1',
    licence: 'MPL-2.0 (vault-helm LICENSE)',
  },
  {
    ref: `${hashicorpRepo}/vault-secrets-operator`,
    version: '1.4.1',
    folder: 'vault-secrets-operator@1.4.1',
    source: 'hashicorp/vault-secrets-operator@v1.4.1',
    path: 'chart',
    title: 'Vault Secrets Operator chart 1.4.1',
    licence: 'BUSL-1.1 (vault-secrets-operator LICENSE); kept only as reference data for tests',
  },
  {
    ref: `${otelRepo}/opentelemetry-collector`,
    version: '0.170.0',
    folder: 'opentelemetry-collector@0.170.0',
    source: 'open-telemetry/opentelemetry-helm-charts@opentelemetry-collector-0.170.0',
    path: 'charts/opentelemetry-collector',
    title: 'OpenTelemetry Collector chart 0.170.0',
    licence: 'Apache-2.0 (opentelemetry-helm-charts LICENSE)',
  },
  {
    // The chart the platform used for Redis until its images left docker.io/bitnami; kept so a release of it
    // is still judged by its own rules.
    ref: 'oci://registry-1.docker.io/bitnamicharts/redis',
    version: '23.1.1',
    folder: 'bitnami-redis@23.1.1',
    source: 'bitnami/charts@redis/23.1.1',
    path: 'bitnami/redis',
    title: 'Bitnami Redis chart 23.1.1 (no longer used by the platform)',
    licence: 'Apache-2.0 (bitnami/charts LICENSE.md)',
    note: bitnamiNote,
  },
];

export interface LoadedChart {
  fixture: ChartFixture;
  /** values.yaml as published. */
  defaults: Values;
  schema?: Record<string, unknown>;
  appVersion: string;
  /** Chart.yaml as published (some templates read it, e.g. Bitnami's image annotations). */
  chartYaml: Record<string, unknown>;
}

const upstream = (folder: string, file: string) =>
  fileURLToPath(new URL(`../upstream/${folder}/${file}`, import.meta.url));

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const loaded = new Map<ChartFixture, LoadedChart>();

export function loadChart(fixture: ChartFixture): LoadedChart {
  const cached = loaded.get(fixture);
  if (cached) return cached;
  const values = (parse(readFileSync(upstream(fixture.folder, 'values.yaml'), 'utf8')) ?? {}) as Values;
  const schemaText = readOptional(upstream(fixture.folder, 'values.schema.json'));
  const chartYaml = parse(readFileSync(upstream(fixture.folder, 'Chart.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;
  const chart: LoadedChart = {
    fixture,
    defaults: fixture.published ? coalesceValues(values, fixture.published) : values,
    ...(schemaText ? { schema: JSON.parse(schemaText) as Record<string, unknown> } : {}),
    appVersion: String(chartYaml.appVersion),
    chartYaml,
  };
  loaded.set(fixture, chart);
  return chart;
}

/** The release's chart reference, `<repository>/<chart>`, from helm.v3.Release inputs. */
export function releaseChartRef(inputs: Record<string, unknown>): string {
  const chart = String(inputs.chart ?? '');
  const repo = (inputs.repositoryOpts as { repo?: string } | undefined)?.repo;
  return repo ? `${repo.replace(/\/$/, '')}/${chart}` : chart;
}

export function findChart(ref: string, version: string): ChartFixture | undefined {
  return chartFixtures.find((f) => f.ref === ref && f.version === version);
}

/** `owner/repo@tag path/to/file` of one file of a fixture's chart. */
export function chartFileSource(fixture: ChartFixture, file: string): string {
  return `${fixture.source} ${fixture.path ? `${fixture.path}/` : ''}${file}`;
}
