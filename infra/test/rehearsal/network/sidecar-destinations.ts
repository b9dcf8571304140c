import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { KubeObject } from './kube-objects.js';
import type { PodTemplate } from './pod-templates.js';

export const istioSource = 'istio/istio@1.30.3';

/** istio/istio@1.30.3 pkg/config/mesh/mesh.go: DefaultProxyConfig().DiscoveryAddress. */
const defaultDiscoveryAddress = 'istiod.istio-system.svc:15012';
/** istio/istio@1.30.3 pkg/config/mesh/mesh.go: DefaultMeshConfig().RootNamespace. */
const defaultRootNamespace = 'istio-system';

interface MeshConfig {
  rootNamespace?: string;
  defaultConfig?: { discoveryAddress?: string };
  defaultProviders?: { tracing?: string[] };
  extensionProviders?: {
    name: string;
    opentelemetry?: { service: string; port: number; http?: unknown };
  }[];
}

/** One address a sidecar calls, with why (shown in findings). */
export interface SidecarCall {
  reason: string;
  address: string;
}

function meshConfigOf(resources: readonly RegisteredResource[]): MeshConfig | undefined {
  const istiod = resources.find(
    (r) =>
      r.type === 'kubernetes:helm.sh/v3:Release' &&
      typeof r.inputs.chart === 'string' &&
      /(^|\/)istiod$/.test(r.inputs.chart),
  );
  if (!istiod) return undefined;
  return ((istiod.inputs.values as { meshConfig?: MeshConfig } | undefined)?.meshConfig ?? {}) as MeshConfig;
}

/**
 * Whether istiod's injection webhook gives the pod a sidecar: its namespace opts in (`istio-injection:
 * enabled`, or a revision label) and the pod does not opt out (`sidecar.istio.io/inject: "false"` as label
 * or annotation). istio/istio@1.30.3 manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml
 * (namespace selectors) and pkg/kube/inject/inject.go injectRequired (the pod's own opt-out).
 */
export function hasSidecar(pod: PodTemplate, namespaceLabels: Record<string, string>): boolean {
  const namespaceOptsIn =
    namespaceLabels['istio-injection'] === 'enabled' ||
    (namespaceLabels['istio-injection'] === undefined && namespaceLabels['istio.io/rev'] !== undefined);
  const podOptsOut =
    pod.labels['sidecar.istio.io/inject'] === 'false' ||
    pod.annotations['sidecar.istio.io/inject'] === 'false';
  return namespaceOptsIn && !podOptsOut;
}

/**
 * What the mesh has a pod's sidecar call: istiod (xDS and certificates) and every OpenTelemetry tracing
 * provider that a Telemetry resource in the root namespace or the pod's own namespace (or the mesh default)
 * selects. The provider's exporter speaks OTLP/gRPC unless it sets `http` (istio/istio@1.30.3
 * pilot/pkg/networking/core/tracing.go); either way it connects to `service:port`.
 */
export function sidecarCalls(
  pod: PodTemplate,
  resources: readonly RegisteredResource[],
  objects: readonly KubeObject[],
): SidecarCall[] {
  const mesh = meshConfigOf(resources);
  if (!mesh) return [];
  const root = mesh.rootNamespace ?? defaultRootNamespace;
  const selected = new Set(mesh.defaultProviders?.tracing ?? []);
  for (const telemetry of objects.filter((o) => o.kind === 'Telemetry')) {
    const namespace = telemetry.metadata.namespace ?? 'default';
    if (namespace !== root && namespace !== pod.namespace) continue;
    const tracing = (telemetry.spec?.tracing as { providers?: { name: string }[] }[] | undefined) ?? [];
    for (const entry of tracing) for (const provider of entry.providers ?? []) selected.add(provider.name);
  }
  const tracing = (mesh.extensionProviders ?? []).flatMap((provider): SidecarCall[] => {
    const otel = provider.opentelemetry;
    if (!otel || !selected.has(provider.name)) return [];
    const scheme = otel.http ? 'http' : 'grpc';
    return [
      {
        reason: `the sidecar's tracing provider "${provider.name}" (OTLP/${scheme === 'http' ? 'HTTP' : 'gRPC'})`,
        address: `${scheme}://${otel.service}:${otel.port}`,
      },
    ];
  });
  const discovery = mesh.defaultConfig?.discoveryAddress ?? defaultDiscoveryAddress;
  return [{ reason: "the sidecar's control plane (istiod xDS)", address: `grpc://${discovery}` }, ...tracing];
}
