import { isMap, truthy, type Values, valueAt } from './helm-values.js';

/**
 * The charts' own validation templates (`fail` / `required`), encoded: each rule reads the values the templates
 * read and returns the message the chart aborts with. Only the checks reachable through values are here.
 */
export interface TemplateRule {
  /** Fixture folder of the chart version the rule was read from. */
  chart: string;
  /** Template file of that version. */
  source: string;
  path: string;
  /** `chartYaml`: the chart's Chart.yaml, which some templates read (`.Chart.Annotations`). */
  check(values: Values, chartYaml: Values): string | undefined;
}

const otelNotes =
  'open-telemetry/opentelemetry-helm-charts@opentelemetry-collector-0.170.0 charts/opentelemetry-collector/templates/NOTES.txt';
const otel = 'opentelemetry-collector@0.170.0';

const istioProfiles = ['ambient', 'demo', 'preview', 'remote', 'stable'];
const istioPlatforms = ['gke', 'k3d', 'k3s', 'microk8s', 'minikube', 'openshift'];
const istioCompatibility = ['1.25', '1.26', '1.27', '1.28', '1.29'];

/** templates/zzz_profile.yaml, the same in each Istio chart: profile, platform and compatibility files must exist. */
function istioProfileRules(chart: string, dir: string): TemplateRule[] {
  const source = `istio/istio@1.30.3 ${dir}/templates/zzz_profile.yaml`;
  const coalesce = (values: Values, key: string) => values[key] || valueAt(values, `global.${key}`);
  return [
    {
      chart,
      source,
      path: 'values.defaults',
      check: (v) => (truthy(v.defaults) ? 'Setting with .default prefix found; remove it.' : undefined),
    },
    {
      chart,
      source,
      path: 'values.profile',
      check: (v) => {
        const profile = coalesce(v, 'profile');
        return profile && !istioProfiles.includes(String(profile)) ? `unknown profile ${profile}` : undefined;
      },
    },
    {
      chart,
      source,
      path: 'values.compatibilityVersion',
      check: (v) =>
        v.compatibilityVersion && !istioCompatibility.includes(String(v.compatibilityVersion))
          ? `unknown compatibility version ${v.compatibilityVersion}`
          : undefined,
    },
    {
      chart,
      source,
      path: 'values.platform',
      check: (v) => {
        const platform = coalesce(v, 'platform');
        return platform && !istioPlatforms.includes(String(platform))
          ? `unknown platform ${platform}`
          : undefined;
      },
    },
  ];
}

export const templateRules: readonly TemplateRule[] = [
  {
    chart: otel,
    source: otelNotes,
    path: 'values.image.repository',
    check: (v) =>
      truthy(valueAt(v, 'image.repository')) ? undefined : "[ERROR] 'image.repository' must be set.",
  },
  {
    chart: otel,
    source: otelNotes,
    path: 'values.mode',
    check: (v) =>
      ['daemonset', 'deployment', 'statefulset'].includes(String(v.mode))
        ? undefined
        : "[ERROR] 'mode' must be set.",
  },
  {
    chart: otel,
    source: otelNotes,
    path: 'values.dnsConfig',
    check: (v) =>
      v.dnsPolicy === 'None' && !truthy(v.dnsConfig)
        ? '[ERROR] dnsConfig should be provided when dnsPolicy is None'
        : undefined,
  },
  {
    chart: otel,
    source: otelNotes,
    path: 'values.config.service.extensions',
    check: (v) => {
      const extensions = valueAt(v, 'config.service.extensions');
      const list = Array.isArray(extensions) ? extensions : [];
      return list.includes('health_check') || list.includes('healthcheckv2')
        ? undefined
        : '[ERROR] The opentelemetry-collector chart requires that the health_check extension or the healthcheckv2 extension to be included in the extension list.';
    },
  },
  {
    chart: otel,
    source: otelNotes,
    path: 'values.configMap',
    check: (v) => {
      if (!truthy(valueAt(v, 'configMap.create'))) return undefined;
      if (truthy(valueAt(v, 'configMap.existingName')))
        return '[ERROR] Cannot set configMap.existingName when configMap.create is true';
      if (truthy(valueAt(v, 'configMap.existingPath')))
        return '[ERROR] Cannot set configMap.existingPath when configMap.create is true';
      return undefined;
    },
  },
  {
    chart: otel,
    source: otelNotes,
    path: 'values.presets.clusterMetrics',
    check: (v) =>
      truthy(valueAt(v, 'presets.clusterMetrics.enabled')) &&
      (v.mode === 'deployment' || v.mode === 'statefulset') &&
      Number(v.replicaCount) > 1 &&
      truthy(valueAt(v, 'presets.clusterMetrics.disableLeaderElection'))
        ? 'Cluster Metrics preset requires leader election when replicaCount is greater than one.'
        : undefined,
  },
  ...istioProfileRules('istio-base@1.30.3', 'manifests/charts/base'),
  ...istioProfileRules('istiod@1.30.3', 'manifests/charts/istio-control/istio-discovery'),
  ...istioProfileRules('istio-gateway@1.30.3', 'manifests/charts/gateway'),
  {
    chart: 'istiod@1.30.3',
    source: 'istio/istio@1.30.3 manifests/charts/istio-control/istio-discovery/templates/NOTES.txt',
    path: 'values.global.pilotCertProvider',
    check: (v) =>
      valueAt(v, 'global.pilotCertProvider') === 'kubernetes'
        ? 'pilotCertProvider=kubernetes is not supported'
        : undefined,
  },
  {
    chart: 'istio-gateway@1.30.3',
    source: 'istio/istio@1.30.3 manifests/charts/gateway/templates/service.yaml',
    path: 'values.service.ports',
    check: (v) =>
      valueAt(v, 'service.type') !== 'None' &&
      !truthy(v.networkGateway) &&
      !truthy(valueAt(v, 'service.ports'))
        ? 'service.ports must not be empty when networkGateway is not set'
        : undefined,
  },
  {
    chart: 'vault@0.34.1',
    source: 'hashicorp/vault-helm@v0.34.1 templates/_helpers.tpl (vault.config)',
    path: 'values.server.ha.config',
    check: (v) =>
      ['server.standalone.config', 'server.ha.config', 'server.ha.raft.config'].some((p) =>
        isMap(valueAt(v, p)),
      )
        ? 'structured server config is not supported, value must be a string'
        : undefined,
  },
  {
    chart: 'vault@0.34.1',
    source: 'hashicorp/vault-helm@v0.34.1 templates/server-httproute.yaml',
    path: 'values.server.httproute.parentRefs',
    check: (v) =>
      truthy(valueAt(v, 'server.httproute.enabled')) && !truthy(valueAt(v, 'server.httproute.parentRefs'))
        ? 'server.httproute.parentRefs must be set when httproute is enabled'
        : undefined,
  },
  {
    chart: 'vault-secrets-operator@1.4.1',
    source: 'hashicorp/vault-secrets-operator@v1.4.1 chart/templates/poddisruptionbudget.yaml',
    path: 'values.controller.podDisruptionBudget',
    check: (v) =>
      truthy(valueAt(v, 'controller.podDisruptionBudget.enabled')) &&
      truthy(valueAt(v, 'controller.podDisruptionBudget.maxUnavailable')) &&
      truthy(valueAt(v, 'controller.podDisruptionBudget.minAvailable'))
        ? 'You cannot set both maxUnavailable and minAvailable in the PodDisruptionBudget'
        : undefined,
  },
  ...bitnamiRedisRules(),
];

/** The images NOTES.txt of bitnami/charts@redis/23.1.1 hands to `common.errors.insecureImages`. */
const bitnamiRedisImages = [
  'image',
  'sentinel.image',
  'metrics.image',
  'volumePermissions.image',
  'kubectl.image',
  'sysctl.image',
];

/** bitnami/charts@redis/23.1.1 bitnami/redis/templates/_helpers.tpl `redis.validateValues`, included by NOTES.txt. */
function bitnamiRedisRules(): TemplateRule[] {
  const chart = 'bitnami-redis@23.1.1';
  const source = 'bitnami/charts@redis/23.1.1 bitnami/redis/templates/_helpers.tpl (redis.validateValues)';
  return [
    {
      chart,
      source,
      path: 'values.architecture',
      check: (v) =>
        v.architecture !== 'standalone' && v.architecture !== 'replication'
          ? 'VALUES VALIDATION: redis: architecture Invalid architecture selected. Valid values are "standalone" and "replication".'
          : undefined,
    },
    {
      chart,
      source,
      path: 'values.sentinel.enabled',
      check: (v) =>
        truthy(valueAt(v, 'sentinel.enabled')) && v.architecture !== 'replication'
          ? 'VALUES VALIDATION: redis: architecture Using redis sentinel on standalone mode is not supported.'
          : undefined,
    },
    {
      chart,
      source:
        'bitnami/charts@redis/23.1.1 bitnami/common/templates/_errors.tpl (common.errors.insecureImages, included by NOTES.txt)',
      path: 'values.image',
      check: (v, chartYaml) => {
        // The chart knows its own images from Chart.yaml `annotations.images`; any other registry or repository
        // (bitnamilegacy included) aborts the install unless global.security.allowInsecureImages is set.
        const original = String(valueAt(chartYaml, 'annotations.images') ?? '');
        const globalRegistry = valueAt(v, 'global.imageRegistry');
        const substituted = bitnamiRedisImages
          .map(
            (path) =>
              valueAt(v, path) as { registry?: string; repository?: string; tag?: string } | undefined,
          )
          .filter((image) => image !== undefined)
          .filter((image) => {
            const registry = String(globalRegistry || image.registry || '');
            return !original.includes(`${registry}/${image.repository}`);
          })
          .map((image) => `${String(globalRegistry || image.registry)}/${image.repository}:${image.tag}`);
        if (substituted.length === 0 || truthy(valueAt(v, 'global.security.allowInsecureImages')))
          return undefined;
        return `Original containers have been substituted for unrecognized ones. Unrecognized images: ${substituted.join(', ')}`;
      },
    },
    {
      chart,
      source,
      path: 'values.replica.automountServiceAccountToken',
      check: (v) =>
        (truthy(valueAt(v, 'sentinel.masterService.enabled')) ||
          truthy(valueAt(v, 'sentinel.service.createMaster'))) &&
        (!truthy(valueAt(v, 'rbac.create')) ||
          !truthy(valueAt(v, 'replica.automountServiceAccountToken')) ||
          !truthy(valueAt(v, 'serviceAccount.create')))
          ? 'VALUES VALIDATION: redis: sentinel.masterService.enabled In order to redirect requests only to the master pod via the service, you also need to create rbac and serviceAccount. In addition, you need to enable replica.automountServiceAccountToken.'
          : undefined,
    },
  ];
}
