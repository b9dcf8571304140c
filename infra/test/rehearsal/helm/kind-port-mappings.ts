import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';
import { helmReleaseType, releaseSubject, resolveRelease } from './check-helm-releases.js';
import { valueAt } from './helm-values.js';

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

export function checkGatewayOnKind(resources: readonly RegisteredResource[], kindMainTf: string): Finding[] {
  const mapped = kindMappedNodePorts(kindMainTf);
  return resources
    .filter((r) => r.type === helmReleaseType)
    .flatMap((release) => {
      const resolved = resolveRelease(release);
      if (resolved?.chart.fixture.folder !== 'istio-gateway@1.30.4') return [];
      const values = resolved.templateValues;
      if (valueAt(values, 'service.type') !== 'NodePort') return [];
      const ports = (valueAt(values, 'service.ports') ?? []) as { name?: string; nodePort?: number }[];
      return ports
        .filter((port) => port.name !== 'status-port')
        .filter((port) => port.nodePort === undefined || !mapped.includes(port.nodePort))
        .map((port) => ({
          subject: releaseSubject(release),
          path: `values.service.ports[${String(port.name)}].nodePort`,
          message:
            port.nodePort === undefined
              ? 'a NodePort left for Kubernetes to pick cannot be mapped to the host by the kind cluster'
              : `node port ${port.nodePort} is not in the kind cluster's extra_port_mappings (mapped: ${mapped.join(', ') || 'none'})`,
          source: 'terraform/modules/kind-cluster/main.tf; kind v1alpha4 Cluster extraPortMappings',
        }));
    });
}
