import { connectionSettings, type ProcessName } from '@platform/charts';
import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { asConnectionUrl, type Destination, destinationOf } from './destinations.js';
import {
  type KubeObject,
  kubeObjects,
  labelsOfNamespace,
  namespaceLabels,
  objectsOfKind,
} from './kube-objects.js';
import { selectorMatches } from './label-selector.js';
import { egressBlockedBy, ingressBlockedBy, kubernetesSource, type PodRef } from './network-policy-rules.js';
import { containerEnvironment, type PodTemplate, podTemplates } from './pod-templates.js';
import { gatewayFlows } from './routed-flows.js';
import { hasSidecar, istioSource, sidecarCalls } from './sidecar-destinations.js';

export interface NetworkCheckOptions {
  /**
   * The values the service reads from Vault at start (`secret/platform-api/<stage>`): their URLs are
   * connections too (Vault's values win over the manifests', as the app's withSecrets merges them).
   */
  vaultValues?: Readonly<Record<string, string>>;
}

/** The service's processes, recognised by the component label the charts put on each pod. */
const processNames = new Set<string>(Object.keys(connectionSettings));

/** Pods resolve names through the cluster DNS unless dnsPolicy says otherwise (kube-dns Service, port 53). */
function dnsDestinations(pod: PodTemplate): Destination[] {
  if (pod.dnsPolicy !== 'ClusterFirst' && pod.dnsPolicy !== 'ClusterFirstWithHostNet') return [];
  return (['UDP', 'TCP'] as const).map((protocol) => ({
    reason: 'cluster DNS (dnsPolicy ClusterFirst)',
    host: 'kube-dns.kube-system.svc.cluster.local',
    namespace: 'kube-system',
    podLabels: { 'k8s-app': 'kube-dns' },
    port: 53,
    protocol,
  }));
}

/**
 * The settings a pod's process connects with: for the service's own processes the ones its code reads
 * (charts' connectionSettings), for any other pod every setting whose value is a URL.
 */
function connectionKeys(pod: PodTemplate, environment: Record<string, string>): string[] {
  const component = pod.labels['app.kubernetes.io/component'];
  if (component && processNames.has(component)) return [...connectionSettings[component as ProcessName]];
  return Object.keys(environment);
}

interface Context {
  resources: readonly RegisteredResource[];
  objects: KubeObject[];
  namespaces: Set<string>;
  servicePodLabels: Map<string, Record<string, string>>;
  vaultValues: Readonly<Record<string, string>>;
  labelsOf: (namespace: string) => Record<string, string>;
}

/** Every connection the pod is configured to open: DNS, its sidecar's, and each URL its processes read. */
function configuredDestinations(pod: PodTemplate, context: Context): Destination[] {
  const resolve = (reason: string, value: string) => {
    const url = asConnectionUrl(value);
    return url ? destinationOf(reason, url, context.namespaces, context.servicePodLabels) : undefined;
  };
  const sidecar = hasSidecar(pod, context.labelsOf(pod.namespace))
    ? sidecarCalls(pod, context.resources, context.objects).map((call) => resolve(call.reason, call.address))
    : [];
  const app = pod.containers.flatMap((container) => {
    const environment = containerEnvironment(container, pod.namespace, context.objects);
    const readsVault = environment.VAULT_ADDR !== undefined;
    return connectionKeys(pod, environment).map((key) => {
      const value = (readsVault ? context.vaultValues[key] : undefined) ?? environment[key];
      return value === undefined ? undefined : resolve(`${key} of container ${container.name}`, value);
    });
  });
  return [...dnsDestinations(pod), ...sidecar, ...app].filter((d): d is Destination => d !== undefined);
}

/**
 * The labels of the pods behind each of the stage's Services (`<namespace>/<name>`): those of a pod template the
 * selector picks, so a policy selecting on more labels than the Service does still sees the pod; the selector
 * itself when the stage runs no such pod.
 */
function servicePodLabels(
  objects: readonly KubeObject[],
  pods: readonly PodTemplate[],
): Map<string, Record<string, string>> {
  return new Map(
    objectsOfKind(objects, 'Service').flatMap((service) => {
      const selector = service.spec?.selector as Record<string, string> | undefined;
      if (!selector) return [];
      const namespace = service.metadata.namespace ?? 'default';
      const pod = pods.find(
        (p) => p.namespace === namespace && selectorMatches({ matchLabels: selector }, p.labels),
      );
      return [[`${namespace}/${service.metadata.name}`, pod?.labels ?? selector] as const];
    }),
  );
}

const describe = (d: Destination) => `${d.host}:${d.port}/${d.protocol}`;

/**
 * For every pod of the stage and every port it is configured to reach (parsed from its env and ConfigMap
 * URLs, its Vault values, its sidecar's mesh configuration, DNS): a NetworkPolicy egress rule selecting the pod
 * must allow it, and so must the destination namespace's ingress policies where the stage creates them. Likewise
 * every route a VirtualService gives an ingress gateway into the stage's pods.
 */
export function networkPolicyPortFindings(
  resources: readonly RegisteredResource[],
  options: NetworkCheckOptions = {},
): Finding[] {
  const objects = kubeObjects(resources);
  const labels = namespaceLabels(objects);
  const policies = objectsOfKind(objects, 'NetworkPolicy');
  const pods = podTemplates(objects);
  const context: Context = {
    resources,
    objects,
    namespaces: new Set(labels.keys()),
    servicePodLabels: servicePodLabels(objects, pods),
    vaultValues: options.vaultValues ?? {},
    labelsOf: (namespace) => labelsOfNamespace(labels, namespace),
  };

  const fromPods = pods.flatMap((pod) => {
    const source: PodRef = { namespace: pod.namespace, labels: pod.labels };
    const seen = new Set<string>();
    return configuredDestinations(pod, context).flatMap((destination): Finding[] => {
      const key = `${describe(destination)} ${destination.reason}`;
      if (seen.has(key)) return [];
      seen.add(key);
      const findings: Finding[] = [];
      const egress = egressBlockedBy(policies, source, destination, context.labelsOf);
      if (egress) {
        findings.push({
          subject: pod.subject,
          path: 'spec.template (NetworkPolicy egress)',
          message: `${destination.reason} connects to ${describe(destination)}, but no egress rule of the policies selecting this pod (${egress.join(', ')}) allows it`,
          source: destination.reason.includes('sidecar')
            ? `${kubernetesSource}; ${istioSource}`
            : kubernetesSource,
        });
      }
      const ingress = ingressBlockedBy(policies, source, destination, context.labelsOf);
      if (ingress) {
        findings.push({
          subject: pod.subject,
          path: `NetworkPolicy ingress in namespace ${destination.namespace}`,
          message: `${destination.reason} connects to ${describe(destination)}, but the destination's ingress policies (${ingress.join(', ')}) do not admit it`,
          source: kubernetesSource,
        });
      }
      return findings;
    });
  });
  const fromGateways = gatewayFlows(objects, pods).flatMap(({ subject, source, destination }): Finding[] => {
    const blockedOut = egressBlockedBy(policies, source, destination, context.labelsOf);
    const blockedIn = ingressBlockedBy(policies, source, destination, context.labelsOf);
    const flow = `${destination.reason} (from gateway pods in ${source.namespace}) reaches ${describe(destination)}`;
    return [
      ...(blockedOut
        ? [
            {
              subject,
              path: `NetworkPolicy egress in namespace ${source.namespace}`,
              message: `${flow}, but the gateway's egress policies (${blockedOut.join(', ')}) do not allow it`,
              source: kubernetesSource,
            },
          ]
        : []),
      ...(blockedIn
        ? [
            {
              subject,
              path: `NetworkPolicy ingress in namespace ${destination.namespace}`,
              message: `${flow}, but the ingress policies selecting those pods (${blockedIn.join(', ')}) do not admit it`,
              source: kubernetesSource,
            },
          ]
        : []),
    ];
  });
  return [...fromPods, ...fromGateways];
}
