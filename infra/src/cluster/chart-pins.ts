import { platformVersions } from '@platform/charts/versions';
import type * as k8s from '@pulumi/kubernetes';

/**
 * Every Helm chart the platform installs, with its repository and exact version. The same pins apply to every
 * stage, so what was exercised in dev is what reaches prod; bump them here, in one reviewed change (and refresh
 * the chart's fixture under infra/test/rehearsal/upstream/, which the deploy rehearsal checks the values against).
 * Redis is not a chart: see src/redis/redis.ts for why.
 */
export interface ChartPin {
  chart: string;
  version: string;
  /** An https:// chart repository or an oci:// registry path. */
  repository: string;
}

const istio = 'https://istio-release.storage.googleapis.com/charts';
const cnpg = 'https://cloudnative-pg.github.io/charts';
const hashicorp = 'https://helm.releases.hashicorp.com';

export const chartPins = {
  istioBase: { chart: 'base', version: platformVersions.istio, repository: istio },
  istiod: { chart: 'istiod', version: platformVersions.istio, repository: istio },
  istioGateway: { chart: 'gateway', version: platformVersions.istio, repository: istio },
  cloudnativePg: { chart: 'cloudnative-pg', version: platformVersions.cloudnativePg.chart, repository: cnpg },
  barmanCloudPlugin: { chart: 'plugin-barman-cloud', version: '0.7.0', repository: cnpg },
  otelCollector: {
    chart: 'opentelemetry-collector',
    version: '0.170.0',
    repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
  },
  vault: { chart: 'vault', version: '0.34.1', repository: hashicorp },
  vaultSecretsOperator: { chart: 'vault-secrets-operator', version: '1.4.1', repository: hashicorp },
  /** Argo Rollouts: chart 2.41.0 installs controller v1.9.0 (its appVersion) and the CRDs of that release. */
  argoRollouts: {
    chart: 'argo-rollouts',
    version: '2.41.0',
    repository: 'https://argoproj.github.io/argo-helm',
  },
} as const satisfies Record<string, ChartPin>;

/** The chart fields of a helm.v3.Release for a pin (OCI charts carry their registry in the chart reference). */
export function releaseChart(
  pin: ChartPin,
): Pick<k8s.helm.v3.ReleaseArgs, 'chart' | 'version' | 'repositoryOpts'> {
  if (pin.repository.startsWith('oci://')) {
    return { chart: `${pin.repository}/${pin.chart}`, version: pin.version };
  }
  return { chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repository } };
}
