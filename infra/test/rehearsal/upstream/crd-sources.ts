import { chartPins } from '../../../src/cluster/chart-pins.js';

/**
 * Where the CustomResourceDefinitions of the custom resources the platform creates come from: one entry per
 * upstream release, its version taken from the chart pins wherever the platform installs the CRDs itself, so a
 * version bump is a pin change plus `refresh.ts`. Each entry becomes `upstream/<folder>/`, one JSON fixture per
 * served group/version/kind (`crd-fixture-files.ts`), read by `crd/schema-fixtures.ts`.
 */
export interface CrdSource {
  /** `<project>-crds@<version>` under upstream/. */
  folder: string;
  title: string;
  repo: string;
  /** Git tag the files are read at. */
  ref: string;
  /** CRD manifests inside the repository (Helm template guards around them are stripped). */
  paths: readonly string[];
  /** The kinds we create: only these are kept, each with every served version's full schema. */
  kinds: readonly string[];
  licence: string;
  /** What else a reader should know about the source (e.g. which operator version the chart ships). */
  note?: string;
}

/**
 * The Prometheus Operator is a cluster prerequisite (docs/platform.md), not installed by the program. Its CRDs
 * are checked at the release kube-prometheus-stack ships (the usual way clusters get them): chart 88.5.3,
 * operator v0.93.1, the newest when these fixtures were taken. Bump it when the clusters' operator moves.
 */
const kubePrometheusStack = '88.5.3';

export const crdSources: readonly CrdSource[] = [
  {
    folder: `istio-crds@${chartPins.istioBase.version}`,
    title: `Istio ${chartPins.istioBase.version} CRDs`,
    repo: 'istio/istio',
    ref: chartPins.istioBase.version,
    paths: ['manifests/charts/base/files/crd-all.gen.yaml'],
    kinds: [
      'Gateway',
      'VirtualService',
      'DestinationRule',
      'PeerAuthentication',
      'AuthorizationPolicy',
      'RequestAuthentication',
      'Telemetry',
    ],
    licence: 'Apache-2.0 (istio/istio LICENSE)',
    note: 'The base chart installs these CRDs from this file.',
  },
  {
    folder: `cloudnative-pg-crds@${chartPins.cloudnativePg.version}`,
    title: `CloudNativePG CRDs shipped by the cloudnative-pg chart ${chartPins.cloudnativePg.version}`,
    repo: 'cloudnative-pg/charts',
    ref: `cloudnative-pg-v${chartPins.cloudnativePg.version}`,
    paths: ['charts/cloudnative-pg/templates/crds/crds.yaml'],
    kinds: ['Cluster', 'Pooler', 'ScheduledBackup'],
    licence: 'Apache-2.0 (charts/cloudnative-pg/LICENSE)',
    note: 'The chart installs these CRDs; its Chart.yaml appVersion names the operator release they belong to.',
  },
  {
    folder: `plugin-barman-cloud-crds@${chartPins.barmanCloudPlugin.version}`,
    title: `Barman Cloud plugin CRDs shipped by the plugin-barman-cloud chart ${chartPins.barmanCloudPlugin.version}`,
    repo: 'cloudnative-pg/charts',
    ref: `plugin-barman-cloud-v${chartPins.barmanCloudPlugin.version}`,
    paths: ['charts/plugin-barman-cloud/templates/crds/crds.yaml'],
    kinds: ['ObjectStore'],
    licence: 'Apache-2.0 (charts/plugin-barman-cloud/LICENSE)',
    note: 'The chart installs these CRDs; they are config/crd of cloudnative-pg/plugin-barman-cloud at the chart appVersion.',
  },
  {
    folder: `vault-secrets-operator-crds@${chartPins.vaultSecretsOperator.version}`,
    title: `Vault Secrets Operator ${chartPins.vaultSecretsOperator.version} CRDs`,
    repo: 'hashicorp/vault-secrets-operator',
    ref: `v${chartPins.vaultSecretsOperator.version}`,
    paths: [
      'chart/crds/secrets.hashicorp.com_vaultauths.yaml',
      'chart/crds/secrets.hashicorp.com_vaultstaticsecrets.yaml',
    ],
    kinds: ['VaultAuth', 'VaultStaticSecret'],
    licence:
      'BUSL-1.1 (vault-secrets-operator LICENSE and each file header); schemas kept only as reference data for tests, no code',
    note: 'The chart installs these CRDs from chart/crds/.',
  },
  {
    folder: `argo-rollouts-crds@${chartPins.argoRollouts.version}`,
    title: `Argo Rollouts CRDs shipped by the argo-rollouts chart ${chartPins.argoRollouts.version}`,
    repo: 'argoproj/argo-helm',
    ref: `argo-rollouts-${chartPins.argoRollouts.version}`,
    paths: ['rollout', 'analysis-template'].map(
      (name) => `charts/argo-rollouts/templates/crds/${name}-crd.yaml`,
    ),
    kinds: ['Rollout', 'AnalysisTemplate'],
    licence: 'Apache-2.0 (argoproj/argo-helm LICENSE; argoproj/argo-rollouts LICENSE)',
    note: 'The chart installs these CRDs (installCRDs); they are manifests/crds of argoproj/argo-rollouts at the chart appVersion, v1.9.0.',
  },
  {
    folder: `kube-prometheus-stack-crds@${kubePrometheusStack}`,
    title: `Prometheus Operator CRDs shipped by kube-prometheus-stack ${kubePrometheusStack}`,
    repo: 'prometheus-community/helm-charts',
    ref: `kube-prometheus-stack-${kubePrometheusStack}`,
    paths: ['podmonitors', 'servicemonitors', 'prometheusrules'].map(
      (plural) => `charts/kube-prometheus-stack/charts/crds/crds/crd-${plural}.yaml`,
    ),
    kinds: ['PodMonitor', 'ServiceMonitor', 'PrometheusRule'],
    licence: 'Apache-2.0 (prometheus-community/helm-charts LICENSE; prometheus-operator LICENSE)',
    note:
      'Copies of prometheus-operator example/prometheus-operator-crd/ at the chart appVersion (each file names its ' +
      'source URL in its first line). The platform does not install the operator: clusters provide it.',
  },
];

/** The raw file URL refresh.ts downloads. */
export const rawUrl = (source: CrdSource, path: string) =>
  `https://raw.githubusercontent.com/${source.repo}/${source.ref}/${path}`;
