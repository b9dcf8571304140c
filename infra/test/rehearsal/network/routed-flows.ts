import type { Destination } from './destinations.js';
import type { KubeObject } from './kube-objects.js';
import { selectorMatches } from './label-selector.js';
import type { PodRef } from './network-policy-rules.js';
import type { PodTemplate } from './pod-templates.js';

/** A connection the mesh is configured to open into one of the stage's pods. */
export interface RoutedFlow {
  /** `Kind namespace/name` of the object that configures it. */
  subject: string;
  source: PodRef;
  destination: Destination;
}

interface Route {
  destination?: { host?: string; port?: { number?: number } };
}
interface VirtualServiceSpec {
  gateways?: string[];
  http?: { route?: Route[] }[];
  tcp?: { route?: Route[] }[];
}
interface ServicePort {
  port: number;
  targetPort?: number | string;
}

const namespaceOf = (o: KubeObject) => o.metadata.namespace ?? 'default';

/** A route's host as `<namespace>/<service>`: `svc.ns.svc.cluster.local`, `svc.ns`, or `svc` in the route's namespace. */
function serviceOfHost(host: string, routeNamespace: string): string {
  const [name = host, namespace = routeNamespace] = host.split('.');
  return `${namespace}/${name}`;
}

/**
 * The container port a Service port sends to: a numbered targetPort as it is, a named one looked up in the
 * containers of the pods the Service selects, none at all means the Service port itself (core/v1 ServicePort).
 */
function targetPortOf(
  port: ServicePort,
  pods: readonly PodTemplate[],
  objects: readonly KubeObject[],
): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  for (const pod of pods) {
    const owner = objects.find((o) => `${o.kind} ${namespaceOf(o)}/${o.metadata.name}` === pod.subject);
    const spec = (
      owner?.spec as {
        template?: { spec?: { containers?: { ports?: { name?: string; containerPort: number }[] }[] } };
      }
    )?.template?.spec;
    const found = spec?.containers?.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

/**
 * Connections from an ingress gateway's pods to the stage's pods, as each VirtualService bound to a Gateway
 * routes them: the Gateway's selector picks the source pods, the route's destination host and port pick the
 * Service, whose selector and targetPort pick the destination pods and port.
 */
export function gatewayFlows(objects: readonly KubeObject[], pods: readonly PodTemplate[]): RoutedFlow[] {
  const services = objects.filter((o) => o.kind === 'Service');
  return objects
    .filter((o) => o.kind === 'VirtualService')
    .flatMap((vs): RoutedFlow[] => {
      const spec = (vs.spec ?? {}) as VirtualServiceSpec;
      const gateways = (spec.gateways ?? [])
        .filter((g) => g !== 'mesh')
        .map((g) => (g.includes('/') ? g : `${namespaceOf(vs)}/${g}`));
      const sources = gateways.flatMap((ref) => {
        const gateway = objects.find(
          (o) => o.kind === 'Gateway' && `${namespaceOf(o)}/${o.metadata.name}` === ref,
        );
        const selector = gateway?.spec?.selector as Record<string, string> | undefined;
        return gateway && selector ? [{ namespace: namespaceOf(gateway), labels: selector }] : [];
      });
      const routes = [...(spec.http ?? []), ...(spec.tcp ?? [])].flatMap((r) => r.route ?? []);
      return routes.flatMap((route) => {
        const host = route.destination?.host;
        if (!host) return [];
        const service = services.find(
          (s) => `${namespaceOf(s)}/${s.metadata.name}` === serviceOfHost(host, namespaceOf(vs)),
        );
        if (!service) return [];
        const selector = (service.spec?.selector ?? {}) as Record<string, string>;
        const selected = pods.filter(
          (p) => p.namespace === namespaceOf(service) && selectorMatches({ matchLabels: selector }, p.labels),
        );
        const ports = (service.spec?.ports ?? []) as ServicePort[];
        const servicePort =
          ports.find((p) => p.port === route.destination?.port?.number) ??
          (ports.length === 1 ? ports[0] : undefined);
        const port = servicePort ? targetPortOf(servicePort, selected, objects) : undefined;
        if (port === undefined) return [];
        return selected.flatMap((pod) =>
          sources.map((source) => ({
            subject: `VirtualService ${namespaceOf(vs)}/${vs.metadata.name}`,
            source,
            destination: {
              reason: `the gateway route to ${host}`,
              host,
              namespace: pod.namespace,
              podLabels: pod.labels,
              port,
              protocol: 'TCP' as const,
            },
          })),
        );
      });
    });
}
