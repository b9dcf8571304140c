import type { Finding } from '../findings.js';
import { type IstioObject, isIstioObject, type Json, list, record, strings, text } from './istio-object.js';
import { cite } from './upstream-source.js';

const source = `${cite('crds', 'VirtualService spec.http ("an ordered list of route rules")')}; security review finding 17 (readiness is not for gateway traffic)`;

/**
 * Whether an Istio StringMatch on the request path selects `path`: `exact`, `prefix`, or `regex` (Envoy's RE2,
 * matched against the whole path), case-folded under `ignoreUriCase`.
 */
function uriSelects(uri: Json, path: string, ignoreCase: boolean): boolean {
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (typeof uri.exact === 'string') return fold(path) === fold(uri.exact);
  if (typeof uri.prefix === 'string') return fold(path).startsWith(fold(uri.prefix));
  if (typeof uri.regex === 'string')
    return new RegExp(`^(?:${uri.regex})$`, ignoreCase ? 'i' : '').test(path);
  return true; // an empty StringMatch matches anything
}

/** Conditions of a match block other than the path, which some requests to the path may not meet. */
const pathOnly = new Set(['name', 'uri', 'ignoreUriCase']);

/** How a route's matches apply to a request for `path`: for some requests, or for every one. */
function routeSelects(route: Json, path: string): { some: boolean; every: boolean } {
  const matches = (list(route.match) ?? []).map((m) => record(m) ?? {});
  if (matches.length === 0) return { some: true, every: true };
  let some = false;
  let every = false;
  for (const match of matches) {
    const uri = record(match.uri);
    if (uri && !uriSelects(uri, path, match.ignoreUriCase === true)) continue;
    some = true;
    if (Object.keys(match).every((key) => pathOnly.has(key))) every = true;
  }
  return { some, every };
}

const forwards = (route: Json) => (list(route.route) ?? []).length > 0 || route.delegate !== undefined;

/**
 * Every VirtualService bound to a gateway must not carry requests for the internal paths (readiness, liveness)
 * to a pod: routes are tried in order, so the first route that can take such a request must answer it at the
 * gateway (a direct response or a redirect), and no earlier conditional route may forward it.
 */
export function checkInternalPathsNotRouted(
  objects: readonly unknown[],
  paths: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const services = objects
    .filter(isIstioObject)
    .filter(
      (o: IstioObject) => o.apiVersion.startsWith('networking.istio.io/') && o.kind === 'VirtualService',
    );
  for (const vs of services) {
    const spec = record(vs.spec) ?? {};
    const gateways = strings(spec.gateways).filter((g) => g !== 'mesh');
    if (gateways.length === 0) continue;
    const subject = `${vs.apiVersion} VirtualService ${vs.metadata.namespace ?? ''}/${vs.metadata.name}`;
    const routes = (list(spec.http) ?? []).map((r) => record(r) ?? {});
    for (const path of paths) {
      for (const [i, route] of routes.entries()) {
        const selects = routeSelects(route, path);
        if (!selects.some) continue;
        if (forwards(route)) {
          findings.push({
            subject,
            path: `spec.http[${i}]`,
            message: `route ${text(route.name) || i} forwards ${path} from gateway ${gateways.join(', ')} to the service: internal routes must answer at the gateway (directResponse 404)`,
            source,
          });
        }
        if (selects.every) break;
      }
    }
  }
  return findings;
}
