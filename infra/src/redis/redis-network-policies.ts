import { redis as names, service } from '@platform/charts/contract';
import type * as k8s from '@pulumi/kubernetes';

type NetworkPolicyArgs = {
  metadata: { name: string; namespace: string };
  spec: k8s.types.input.networking.v1.NetworkPolicySpec;
};

const sentinelPort = 26379;
const tcp = (port: number) => ({ port, protocol: 'TCP' });
const inNamespace = (name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
/** Every pod resolves the nodes' DNS names through the cluster DNS. */
const dns = {
  to: [{ ...inNamespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

export interface RedisPeers {
  nodeLabels: Record<string, string>;
  /** Present with Sentinel: the master proxy's pods. */
  proxyLabels?: Record<string, string>;
}

/**
 * Default deny for the Redis namespace, then each flow Redis needs: the service's pods reach `redis-master`
 * (the node, or the master proxy with Sentinel); nodes replicate from each other and their Sentinels talk to
 * each other (and a starting node asks them who is master); the proxy health-checks and forwards to the nodes.
 */
export function redisNetworkPolicies({ nodeLabels, proxyLabels }: RedisPeers): NetworkPolicyArgs[] {
  const meta = (name: string) => ({ name, namespace: names.namespace });
  const fromService = { from: [inNamespace(service.namespace)], ports: [tcp(names.port)] };
  const nodePeer = { podSelector: { matchLabels: nodeLabels } };
  const nodePorts = proxyLabels ? [tcp(names.port), tcp(sentinelPort)] : [tcp(names.port)];
  const policies: NetworkPolicyArgs[] = [
    { metadata: meta('default-deny'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    {
      metadata: meta(`${names.release}-nodes`),
      spec: {
        podSelector: { matchLabels: nodeLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [nodePeer], ports: nodePorts },
          ...(proxyLabels
            ? [{ from: [{ podSelector: { matchLabels: proxyLabels } }], ports: [tcp(names.port)] }]
            : [fromService]),
        ],
        egress: [dns, { to: [nodePeer], ports: nodePorts }],
      },
    },
  ];
  if (proxyLabels) {
    policies.push({
      metadata: meta(`${names.release}-master-proxy`),
      spec: {
        podSelector: { matchLabels: proxyLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [fromService],
        egress: [dns, { to: [nodePeer], ports: [tcp(names.port)] }],
      },
    });
  }
  return policies;
}
