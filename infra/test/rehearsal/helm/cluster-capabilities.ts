import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Stage } from '@platform/charts/contract';
import { parse } from 'yaml';
import { kindMappedNodePorts, readKindModule } from './kind-port-mappings.js';
import type { ClusterCapabilities } from './release-await.js';

/**
 * What the stage's cluster can do, read from the stack file's `kubernetes:context`. kind names its contexts
 * `kind-<cluster name>` (kubernetes-sigs/kind pkg/cluster/internal/kubeconfig), and kind has no load-balancer
 * controller: a LoadBalancer Service there keeps `<pending>` forever.
 */
export function clusterCapabilities(stage: Stage): ClusterCapabilities {
  const file = fileURLToPath(new URL(`../../../Pulumi.${stage}.yaml`, import.meta.url));
  const stack = parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> };
  const context = String(stack.config?.['kubernetes:context'] ?? '');
  if (!context.startsWith('kind-')) return { loadBalancerAddresses: true };
  // The kind cluster terraform/modules/kind-cluster creates, with the host ports it maps onto node ports.
  return { loadBalancerAddresses: false, hostMappedNodePorts: kindMappedNodePorts(readKindModule()) };
}
