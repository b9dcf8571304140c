import type { Finding } from '../findings.js';
import { type IstioObject, isIstioObject, list, record, strings } from './istio-object.js';
import { hostsOverlap } from './names.js';
import { cite } from './upstream-source.js';

const source = cite('gatewayAnalyzer', 'GatewayAnalyzer');
const group = (o: IstioObject) => o.apiVersion.split('/')[0];

/**
 * What `istioctl analyze` (istio/istio@1.30.3 virtualservice.GatewayAnalyzer) says of each VirtualService's
 * gateways, across objects: the Gateway must exist (IST0101, an error) and serve at least one of the
 * VirtualService's hosts (IST0132: otherwise the gateway answers 404 for the route). The webhook does not check
 * this, so it takes every object the stage applies at once: the program's Gateway and the charts' routes.
 */
export function checkGatewayBindings(objects: readonly unknown[]): Finding[] {
  const istio = objects.filter(isIstioObject);
  const gateways = new Map<string, IstioObject>(
    istio
      .filter((o) => group(o) === 'networking.istio.io' && o.kind === 'Gateway')
      .map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o] as const),
  );
  const findings: Finding[] = [];
  for (const vs of istio.filter((o) => group(o) === 'networking.istio.io' && o.kind === 'VirtualService')) {
    const spec = record(vs.spec) ?? {};
    const namespace = vs.metadata.namespace ?? '';
    const subject = `${vs.apiVersion} VirtualService ${namespace}/${vs.metadata.name}`;
    const hosts = strings(spec.hosts);
    for (const [i, name] of strings(spec.gateways).entries()) {
      if (name === 'mesh') continue;
      const fullName = name.includes('/') ? name : `${namespace}/${name}`;
      const gateway = gateways.get(fullName);
      const path = `spec.gateways[${i}]`;
      if (!gateway) {
        findings.push({ subject, path, message: `Referenced gateway not found: "${name}"`, source });
      }
      if (!servesAnyHost(gateway, hosts, namespace)) {
        const message = `one or more host [${hosts.join(' ')}] defined in VirtualService ${namespace}/${vs.metadata.name} not found in Gateway ${fullName}.`;
        findings.push({ subject, path, message, source });
      }
    }
  }
  return findings;
}

/** Server hosts `ns/host` count for VirtualServices in `ns` (or `*`, `.` meaning the Gateway's own namespace). */
function servesAnyHost(gateway: IstioObject | undefined, hosts: string[], vsNamespace: string): boolean {
  if (!gateway) return false;
  const gatewayNamespace = gateway.metadata.namespace ?? '';
  const served = (list(record(gateway.spec)?.servers) ?? []).flatMap((s) => strings(record(s)?.hosts));
  const names = served.flatMap((h) => {
    const slash = h.indexOf('/');
    if (slash < 0) return [h];
    const ns = h.slice(0, slash) === '.' ? gatewayNamespace : h.slice(0, slash);
    return ns === vsNamespace || ns === '*' ? [h.slice(slash + 1)] : [];
  });
  return names.some((g) => hosts.some((h) => hostsOverlap(g, h)));
}
