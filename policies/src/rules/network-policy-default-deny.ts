import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1';
import { isKind, type KubeObject, namespaceOf } from '../model/kube-object.js';
import type { SetRule } from '../model/rule.js';
import { podTemplateOf } from '../model/workloads.js';

export const networkPolicyDefaultDeny: SetRule = {
  scope: 'set',
  name: 'network-policy-default-deny',
  description:
    'Every namespace that runs workloads has a default-deny NetworkPolicy for ingress and egress, so only ' +
    'traffic that another policy allows explicitly can flow.',
  severity: 'high',
  remediation:
    'Add a NetworkPolicy in the namespace with podSelector: {}, policyTypes: [Ingress, Egress] and no ' +
    'ingress or egress rules; then allow each needed flow with its own policy.',
  check(objects) {
    const denied = new Set(objects.filter(isDefaultDeny).map(namespaceOf));
    const reported = new Set<string>();
    return objects.flatMap((object) => {
      const namespace = namespaceOf(object);
      if (!podTemplateOf(object) || denied.has(namespace) || reported.has(namespace)) return [];
      reported.add(namespace);
      return [
        {
          object,
          message: `namespace "${namespace}" has no default-deny NetworkPolicy (ingress and egress)`,
        },
      ];
    });
  },
};

function isDefaultDeny(object: KubeObject): boolean {
  if (!isKind(object, 'networking.k8s.io', 'NetworkPolicy')) return false;
  const spec = (object.spec ?? {}) as Partial<INetworkPolicySpec>;
  const selectsAllPods =
    Object.keys(spec.podSelector?.matchLabels ?? {}).length === 0 &&
    (spec.podSelector?.matchExpressions ?? []).length === 0;
  const types = spec.policyTypes ?? [];
  return (
    selectsAllPods &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    (spec.ingress ?? []).length === 0 &&
    (spec.egress ?? []).length === 0
  );
}
