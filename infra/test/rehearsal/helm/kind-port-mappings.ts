import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';
import { helmReleaseType, releaseSubject, resolveRelease } from './check-helm-releases.js';
import { type Values, valueAt } from './helm-values.js';
import type { ClusterCapabilities } from './release-await.js';

/**
 * How a laptop reaches the ingress gateway on kind. kind has no load balancer (see release-await.ts): the
 * gateway's Service is ClusterIP, reached by `kubectl port-forward`, or NodePort, reached through the host ports
 * the kind cluster maps onto node ports (kind's `extraPortMappings`, terraform/modules/kind-cluster
 * `extra_port_mappings`). A NodePort the cluster does not map is unreachable from the host, and a NodePort left
 * for Kubernetes to pick cannot be mapped in advance.
 */
export function kindMappedNodePorts(mainTf: string): number[] {
  return [...mainTf.matchAll(/extra_port_mappings\s*\{[^}]*?container_port\s*=\s*(\d+)/g)].map((m) =>
    Number(m[1]),
  );
}

export function readKindModule(): string {
  return readFileSync(
    fileURLToPath(new URL('../../../../terraform/modules/kind-cluster/main.tf', import.meta.url)),
    'utf8',
  );
}

/** The gateway chart (fixture folder) whose Service this rule reads: istio/istio@1.30.3 manifests/charts/gateway. */
export const kindGatewayChart = 'istio-gateway@1.30.3';

/** A gateway release's NodePorts the host cannot reach on a cluster with mapped node ports only. */
export function unmappedGatewayPorts(
  chart: string,
  values: Values,
  cluster: ClusterCapabilities,
): { path: string; message: string; source: string }[] {
  const mapped = cluster.hostMappedNodePorts;
  if (chart !== kindGatewayChart || !mapped || valueAt(values, 'service.type') !== 'NodePort') return [];
  const ports = (valueAt(values, 'service.ports') ?? []) as { name?: string; nodePort?: number }[];
  return ports
    .filter((port) => port.name !== 'status-port')
    .filter((port) => port.nodePort === undefined || !mapped.includes(port.nodePort))
    .map((port) => ({
      path: `values.service.ports[${String(port.name)}].nodePort`,
      message:
        port.nodePort === undefined
          ? 'a NodePort left for Kubernetes to pick cannot be mapped to the host by the kind cluster'
          : `node port ${port.nodePort} is not in the kind cluster's extra_port_mappings (mapped: ${mapped.join(', ') || 'none'})`,
      source: 'terraform/modules/kind-cluster/main.tf; kind v1alpha4 Cluster extraPortMappings',
    }));
}

/** The same over a stack's resources, for a kind cluster described by its terraform module. */
export function checkGatewayOnKind(resources: readonly RegisteredResource[], kindMainTf: string): Finding[] {
  const cluster = { loadBalancerAddresses: false, hostMappedNodePorts: kindMappedNodePorts(kindMainTf) };
  return resources
    .filter((r) => r.type === helmReleaseType)
    .flatMap((release) => {
      const resolved = resolveRelease(release);
      if (!resolved) return [];
      return unmappedGatewayPorts(resolved.chart.fixture.folder, resolved.templateValues, cluster).map(
        (p) => ({
          subject: releaseSubject(release),
          ...p,
        }),
      );
    });
}
