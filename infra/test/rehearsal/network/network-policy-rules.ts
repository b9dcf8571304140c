import type { Destination } from './destinations.js';
import type { KubeObject } from './kube-objects.js';
import { type LabelSelector, selectorMatches } from './label-selector.js';

/**
 * NetworkPolicy as the API documents it (networking.k8s.io/v1 NetworkPolicySpec, NetworkPolicyPeer,
 * NetworkPolicyPort in k8s.io/api networking/v1/types.go): a pod selected by a policy of a direction is isolated
 * in that direction, and then only traffic some rule of some selecting policy allows may flow.
 */
export const kubernetesSource =
  'k8s.io/api networking/v1/types.go (NetworkPolicySpec, NetworkPolicyPeer, NetworkPolicyPort)';

interface Port {
  port?: number | string;
  endPort?: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  ports?: Port[];
  to?: Peer[];
  from?: Peer[];
}
interface PolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

/** One side of a connection: a pod (labels known) or pods whose labels the stage does not know. */
export interface PodRef {
  namespace: string;
  labels?: Record<string, string>;
}

const specOf = (policy: KubeObject) => (policy.spec ?? {}) as PolicySpec;

/** Unset policyTypes: Ingress always, Egress when the policy has an egress section. */
function policyTypes(spec: PolicySpec): ('Ingress' | 'Egress')[] {
  return spec.policyTypes ?? ['Ingress', ...(spec.egress ? (['Egress'] as const) : [])];
}

/**
 * Policies that isolate the pod in a direction. Pods whose labels are unknown count as selected only by a
 * policy that selects every pod of the namespace (an empty podSelector).
 */
export function isolating(
  policies: readonly KubeObject[],
  pod: PodRef,
  direction: 'Ingress' | 'Egress',
): KubeObject[] {
  return policies.filter((policy) => {
    const spec = specOf(policy);
    if ((policy.metadata.namespace ?? 'default') !== pod.namespace) return false;
    if (!policyTypes(spec).includes(direction)) return false;
    const selector = spec.podSelector ?? {};
    if (pod.labels) return selectorMatches(selector, pod.labels);
    return (
      Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
    );
  });
}

/** No ports: every port. A numbered port (or range up to endPort) must hold the port; protocol defaults to TCP. */
function portAllowed(ports: readonly Port[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    // A named port is resolved on the destination pod's container ports, which the rehearsal does not know.
    if (typeof p.port === 'string') return false;
    return p.endPort === undefined ? p.port === port : p.port <= port && port <= p.endPort;
  });
}

/**
 * Whether a peer admits the other side. Pod labels the stage does not know cannot be checked against a
 * podSelector: the namespace and the port are still checked. An address block cannot be matched to a pod (pod
 * IPs are not known ahead), only to a destination outside the cluster.
 */
function peerAdmits(
  peer: Peer,
  policyNamespace: string,
  other: PodRef | undefined,
  namespaceLabels: (name: string) => Record<string, string>,
): boolean {
  if (peer.ipBlock) return other === undefined || peer.ipBlock.cidr === '0.0.0.0/0';
  if (other === undefined) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(other.namespace))
    : other.namespace === policyNamespace;
  const podOk = !peer.podSelector || !other.labels || selectorMatches(peer.podSelector, other.labels);
  return namespaceOk && podOk;
}

/** Policies of the source pod's namespace: may it open this connection? Returns the isolating policies' names if not. */
export function egressBlockedBy(
  policies: readonly KubeObject[],
  source: PodRef,
  destination: Destination,
  namespaceLabels: (name: string) => Record<string, string>,
): string[] | undefined {
  const selecting = isolating(policies, source, 'Egress');
  if (selecting.length === 0) return undefined;
  const target = destination.namespace
    ? {
        namespace: destination.namespace,
        ...(destination.podLabels ? { labels: destination.podLabels } : {}),
      }
    : undefined;
  const allowed = selecting.some((policy) =>
    (specOf(policy).egress ?? []).some(
      (rule) =>
        portAllowed(rule.ports, destination.port, destination.protocol) &&
        (!rule.to ||
          rule.to.length === 0 ||
          rule.to.some((peer) =>
            peerAdmits(peer, policy.metadata.namespace ?? 'default', target, namespaceLabels),
          )),
    ),
  );
  return allowed ? undefined : selecting.map((p) => p.metadata.name);
}

/** Policies of the destination's namespace: does it accept this connection? Returns the isolating policies' names if not. */
export function ingressBlockedBy(
  policies: readonly KubeObject[],
  source: PodRef,
  destination: Destination,
  namespaceLabels: (name: string) => Record<string, string>,
): string[] | undefined {
  if (!destination.namespace) return undefined;
  const target = {
    namespace: destination.namespace,
    ...(destination.podLabels ? { labels: destination.podLabels } : {}),
  };
  const selecting = isolating(policies, target, 'Ingress');
  if (selecting.length === 0) return undefined;
  const allowed = selecting.some((policy) =>
    (specOf(policy).ingress ?? []).some(
      (rule) =>
        portAllowed(rule.ports, destination.port, destination.protocol) &&
        (!rule.from ||
          rule.from.length === 0 ||
          rule.from.some((peer) =>
            peerAdmits(peer, policy.metadata.namespace ?? 'default', source, namespaceLabels),
          )),
    ),
  );
  return allowed ? undefined : selecting.map((p) => p.metadata.name);
}
