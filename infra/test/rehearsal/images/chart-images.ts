import { truthy, type Values, valueAt } from '../helm/helm-values.js';

/**
 * The images each pinned chart runs, read from the values its templates read (defaults merged with ours).
 * Each entry follows the chart's own template for the image string.
 */
export interface ChartImage {
  path: string;
  image: string;
}

type ImageReader = (values: Values, appVersion: string) => ChartImage[];

const str = (values: Values, path: string) => {
  const value = valueAt(values, path);
  return value === undefined || value === null ? '' : String(value);
};

/** `repository:tag` (tag defaulting to the chart's appVersion) or `repository@digest`, as most charts build it. */
function repoTag(values: Values, path: string, appVersion: string, registryKey?: string): ChartImage {
  const registry = registryKey ? str(values, `${path}.${registryKey}`) : '';
  const repository = str(values, `${path}.repository`);
  const name = registry ? `${registry}/${repository}` : repository;
  const digest = str(values, `${path}.digest`);
  const tag = str(values, `${path}.tag`) || appVersion;
  return { path: `values.${path}`, image: digest ? `${name}@${digest}` : `${name}:${tag}` };
}

/** Helm charts whose `enabled: "-"` means "follow global.enabled" (vault-helm). */
const enabledOrGlobal = (values: Values, path: string) => {
  const value = valueAt(values, path);
  return value === '-' || value === undefined ? valueAt(values, 'global.enabled') !== false : truthy(value);
};

export const chartImageReaders: Record<string, ImageReader> = {
  // istio/istio@1.30.3 manifests/charts/istio-control/istio-discovery/templates/deployment.yaml: `image` with a
  // slash is used as is, else `<hub>/<image>:<tag><-variant>` with hub/tag falling back to global.*.
  'istiod@1.30.3': (v) => {
    const hub = str(v, 'hub') || str(v, 'global.hub');
    const tag = str(v, 'tag') || str(v, 'global.tag');
    const variant = str(v, 'variant') || str(v, 'global.variant');
    const suffix = variant ? `-${variant}` : '';
    const pilot = str(v, 'image');
    const proxyTag = str(v, 'global.tag');
    return [
      { path: 'values.image', image: pilot.includes('/') ? pilot : `${hub}/${pilot}:${tag}${suffix}` },
      // The sidecar and gateway proxy istiod injects (istio-discovery/files/injection-template.yaml).
      {
        path: 'values.global.proxy.image',
        image: `${str(v, 'global.hub')}/${str(v, 'global.proxy.image')}:${proxyTag}${suffix}`,
      },
    ];
  },
  // The gateway chart's pods are injected by istiod (`image: auto`): the proxy image is istiod's.
  'istio-gateway@1.30.3': () => [],
  'istio-base@1.30.3': () => [],
  'cloudnative-pg@0.29.0': (v, app) => [repoTag(v, 'image', app)],
  'plugin-barman-cloud@0.7.0': (v, app) => [
    repoTag(v, 'image', app, 'registry'),
    repoTag(v, 'sidecarImage', app, 'registry'),
  ],
  'vault@0.34.1': (v, app) => [
    ...(enabledOrGlobal(v, 'server.enabled') ? [repoTag(v, 'server.image', app)] : []),
    ...(enabledOrGlobal(v, 'injector.enabled')
      ? [repoTag(v, 'injector.image', app), repoTag(v, 'injector.agentImage', app)]
      : []),
    ...(truthy(valueAt(v, 'csi.enabled')) ? [repoTag(v, 'csi.image', app)] : []),
  ],
  'vault-secrets-operator@1.4.1': (v, app) => [
    repoTag(v, 'controller.manager.image', app),
    repoTag(v, 'controller.kubeRbacProxy.image', app),
    ...(truthy(valueAt(v, 'csi.enabled')) ? [repoTag(v, 'csi.driver.image', app)] : []),
  ],
  // argoproj/argo-helm@argo-rollouts-2.41.0 charts/argo-rollouts/templates/controller/deployment.yaml:
  // `<registry>/<repository>:<tag or appVersion>`; the dashboard's only when enabled.
  'argo-rollouts@2.41.0': (v, app) => [
    repoTag(v, 'controller.image', app, 'registry'),
    ...(truthy(valueAt(v, 'dashboard.enabled')) ? [repoTag(v, 'dashboard.image', app, 'registry')] : []),
  ],
  'opentelemetry-collector@0.170.0': (v, app) => [repoTag(v, 'image', app)],
  // bitnami/charts@redis/23.1.1: `common.images.image` joins registry, repository and tag (or digest).
  'bitnami-redis@23.1.1': (v, app) => [
    repoTag(v, 'image', app, 'registry'),
    ...(truthy(valueAt(v, 'sentinel.enabled')) ? [repoTag(v, 'sentinel.image', app, 'registry')] : []),
    ...(truthy(valueAt(v, 'metrics.enabled')) ? [repoTag(v, 'metrics.image', app, 'registry')] : []),
    ...(truthy(valueAt(v, 'volumePermissions.enabled'))
      ? [repoTag(v, 'volumePermissions.image', app, 'registry')]
      : []),
  ],
};
