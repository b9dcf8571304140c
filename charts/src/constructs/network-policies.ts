import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { mesh, monitoring, service } from '../contract.js';
import type { Dependency, Peer } from '../runtime/dependencies.js';
import { type Component, objectLabels, selectorLabels } from './labels.js';

const k8s = kplus.k8s;

export interface NetworkPoliciesProps {
  readonly api: readonly Dependency[];
  readonly worker: readonly Dependency[];
  readonly migration: readonly Dependency[];
}

const namespaceSelector = (name: string): kplus.k8s.LabelSelector => ({
  matchLabels: { 'kubernetes.io/metadata.name': name },
});

function egressRule(dependency: Dependency): kplus.k8s.NetworkPolicyEgressRule {
  return {
    to: [toPeer(dependency.peer)],
    ports: dependency.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
  };
}

function toPeer(peer: Peer): kplus.k8s.NetworkPolicyPeer {
  if ('cidr' in peer) return { ipBlock: { cidr: peer.cidr } };
  return {
    namespaceSelector: namespaceSelector(peer.namespace),
    ...(peer.podLabels ? { podSelector: { matchLabels: { ...peer.podLabels } } } : {}),
  };
}

/**
 * Default deny for the namespace, then one allow-list per workload: ingress to the API only from the Istio
 * ingress gateway and the metrics scraper, egress only to the dependencies each workload really calls.
 * The worker admits only the scraper, on its own port; the migration Job accepts no ingress at all (kubelet
 * probes come from the node, which NetworkPolicy always allows).
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);

    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', labels: objectLabels('api') },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    const appPort = [{ port: k8s.IntOrString.fromNumber(service.port), protocol: 'TCP' }];
    new k8s.KubeNetworkPolicy(this, 'api', {
      metadata: { name: `${service.name}-api`, labels: objectLabels('api') },
      spec: {
        podSelector: { matchLabels: selectorLabels('api') },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ namespaceSelector: namespaceSelector(mesh.ingressNamespace) }], ports: appPort },
          { from: [{ namespaceSelector: namespaceSelector(monitoring.namespace) }], ports: appPort },
        ],
        egress: props.api.map(egressRule),
      },
    });

    const workerPort = [{ port: k8s.IntOrString.fromNumber(service.worker.port), protocol: 'TCP' }];
    this.workload('worker', props.worker, [
      { from: [{ namespaceSelector: namespaceSelector(monitoring.namespace) }], ports: workerPort },
    ]);
    this.workload('migration', props.migration, []);
  }

  private workload(
    component: Component,
    dependencies: readonly Dependency[],
    ingress: kplus.k8s.NetworkPolicyIngressRule[],
  ): void {
    new k8s.KubeNetworkPolicy(this, component, {
      metadata: { name: `${service.name}-${component}`, labels: objectLabels(component) },
      spec: {
        podSelector: { matchLabels: selectorLabels(component) },
        policyTypes: ['Ingress', 'Egress'],
        ...(ingress.length > 0 ? { ingress } : {}),
        egress: dependencies.map(egressRule),
      },
    });
  }
}
