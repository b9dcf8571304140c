import { durationNanos } from './go-duration.js';
import { checkHeaderOperations, corsHeaderName, matchHeaderName } from './http-headers.js';
import { int, type Json, list, q, type Rejections, record, strings, text } from './istio-object.js';
import {
  hostsOverlap,
  isDNS1123Label,
  isIPAddress,
  validateFQDN,
  validateLabels,
  validatePort,
  validateWildcardDomain,
} from './names.js';
import { regexMatchProblem, regexProblem, stringMatchProblem } from './string-match.js';
import { cite } from './upstream-source.js';

// ValidateVirtualService and the HTTP route rules it calls: istio/istio@1.30.3 pkg/config/validation/validation.go
// and pkg/config/validation/virtualservice.go. TCP and TLS routes are not encoded (nothing here emits them); a
// VirtualService with them is reported so the gap cannot pass silently.

const V = (fn: string) => cite('validation', fn);
const VS = (fn: string) => cite('virtualService', fn);

/** Envoy retry-on policies istiod accepts (validation.go supportedRetryOnPolicies). */
const retryOnPolicies = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

/** Codes Go's net/http.StatusText names: a numeric retryOn entry must be one of them. */
const namedStatusCodes = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307,
  308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
  422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** Methods Go's net/http names, plus `*` (validation.go supportedCORSMethods). */
const corsMethods = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  '*',
]);

export function checkVirtualService(r: Rejections, spec: Json): void {
  const hosts = strings(spec.hosts);
  const gateways = strings(spec.gateways);
  const source = V('ValidateVirtualService');
  if (hosts.length === 0) {
    if (gateways.length > 0)
      r.add('spec.gateways', 'delegate virtual service must have no gateways specified', source);
    if (list(spec.tls)?.length)
      r.add('spec.tls', 'delegate virtual service must have no tls route specified', source);
    if (list(spec.tcp)?.length)
      r.add('spec.tcp', 'delegate virtual service must have no tcp route specified', source);
  }
  checkGatewayNames(r, 'spec.gateways', gateways);
  // Bound to the mesh when it names no gateway or names `mesh` among them.
  const appliesToGateway = gateways.length > 0 && !gateways.includes('mesh');

  let allHostsValid = true;
  for (const [i, host] of hosts.entries()) {
    const error = validateWildcardDomain(host);
    if (error && !isIPAddress(host)) {
      r.add(`spec.hosts[${i}]`, error, source);
      allHostsValid = false;
    } else if (!error && !appliesToGateway && host === '*') {
      r.add(
        `spec.hosts[${i}]`,
        'wildcard host * is not allowed for virtual services bound to the mesh gateway',
        source,
      );
      allHostsValid = false;
    }
  }
  if (allHostsValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (hostsOverlap(hosts[i]!, hosts[j]!)) {
          r.add('spec.hosts', `duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`, source);
        }
      }
    }
  }

  const http = list(spec.http) ?? [];
  if (http.length === 0 && !list(spec.tcp)?.length && !list(spec.tls)?.length) {
    r.add('spec', 'http, tcp or tls must be provided in virtual service', source);
  }
  for (const [i, route] of http.entries()) {
    const path = `spec.http[${i}]`;
    const httpRoute = record(route);
    if (!httpRoute) r.add(path, 'http route may not be null', source);
    else checkHTTPRoute(r, path, httpRoute, hosts.length === 0);
  }
  for (const kind of ['tcp', 'tls'] as const) {
    if (list(spec[kind])?.length) {
      r.add(
        `spec.${kind}`,
        `${kind} routes are not encoded in the rehearsal's istiod rules: add them before use`,
        source,
      );
    }
  }
}

/** `<namespace>/<name>` (both DNS labels), or a legacy name / FQDN such as `mesh`. */
export function checkGatewayNames(r: Rejections, path: string, names: string[]): void {
  const source = V('validateGatewayNames');
  for (const [i, name] of names.entries()) {
    const at = `${path}[${i}]`;
    const slash = name.indexOf('/');
    if (slash < 0) {
      r.add(at, validateFQDN(name), source);
      return; // istiod stops at the first name without a namespace
    }
    const [namespace, gateway] = [name.slice(0, slash), name.slice(slash + 1)];
    if (namespace === '' || gateway === '')
      r.add(at, 'config namespace and gateway name cannot be empty', source);
    if (!isDNS1123Label(namespace)) r.add(at, `invalid value for namespace: ${q(namespace)}`, source);
    if (!isDNS1123Label(gateway)) r.add(at, `invalid value for gateway name: ${q(gateway)}`, source);
  }
}

function checkHTTPRoute(r: Rejections, path: string, route: Json, delegate: boolean): void {
  checkRouteConflicts(r, path, route, delegate);
  checkMatches(r, path, list(route.match) ?? []);
  checkHeaderOperations(r, path, route.headers, 'ValidateHTTPHeaderWithAuthorityOperationName');
  checkCorsPolicy(r, `${path}.corsPolicy`, record(route.corsPolicy));
  checkFault(r, `${path}.fault`, record(route.fault));
  checkMirrors(r, path, route);
  checkRedirect(r, `${path}.redirect`, record(route.redirect));
  checkDirectResponse(r, `${path}.directResponse`, record(route.directResponse));
  checkRetries(r, `${path}.retries`, record(route.retries));
  checkRewrite(r, `${path}.rewrite`, record(route.rewrite));
  checkRouteDestinations(r, `${path}.route`, list(route.route) ?? []);
  r.duration(`${path}.timeout`, route.timeout);
}

function checkRouteConflicts(r: Rejections, path: string, route: Json, delegate: boolean): void {
  const source = VS('validateHTTPRouteConflict');
  const has = (field: string) => route[field] !== undefined && route[field] !== null;
  const routes = list(route.route) ?? [];
  if (!delegate && has('delegate')) {
    if (has('redirect')) r.add(path, `root HTTP route ${text(route.name)} must not specify redirect`, source);
    if (has('route')) r.add(path, `root HTTP route ${text(route.name)} must not specify route`, source);
    return;
  }
  if (delegate && has('delegate')) r.add(path, 'delegate HTTP route cannot contain delegate', source);
  if (has('redirect')) {
    if (routes.length > 0) r.add(path, 'HTTP route cannot contain both route and redirect', source);
    if (has('fault')) r.add(path, 'HTTP route cannot contain both fault and redirect', source);
    if (has('rewrite')) r.add(path, 'HTTP route rule cannot contain both rewrite and redirect', source);
    if (has('directResponse'))
      r.add(path, 'HTTP route rule cannot contain both direct_response and redirect', source);
  } else if (has('directResponse')) {
    if (routes.length > 0) r.add(path, 'HTTP route cannot contain both route and direct_response', source);
    if (has('fault')) r.add(path, 'HTTP route cannot contain both fault and direct_response', source);
    if (has('rewrite'))
      r.add(path, 'HTTP route rule cannot contain both rewrite and direct_response', source);
  } else if (routes.length === 0) {
    r.add(path, 'HTTP route, redirect or direct_response is required', source);
  }
  if (has('mirror') && (list(route.mirrors)?.length ?? 0) > 0) {
    r.add(path, 'HTTP route cannot contain both mirror and mirrors', source);
  }
}

function checkMatches(r: Rejections, path: string, matches: unknown[]): void {
  const source = VS('validateHTTPRouteMatchRequest');
  for (const [i, entry] of matches.entries()) {
    const match = record(entry);
    if (!match) continue;
    const at = `${path}.match[${i}]`;
    for (const [name, header] of Object.entries(record(match.headers) ?? {})) {
      if (header === null) r.add(`${at}.headers`, `header match ${name} cannot be null`, source);
      r.add(`${at}.headers`, matchHeaderName(name), source);
      r.add(`${at}.headers.${name}`, stringMatchProblem(header, 'headers'), source);
    }
    for (const [name, header] of Object.entries(record(match.withoutHeaders) ?? {})) {
      r.add(`${at}.withoutHeaders`, matchHeaderName(name), source);
      // `regex: "*"` is a presence match there, not a regex.
      if (record(header)?.regex !== '*')
        r.add(`${at}.withoutHeaders.${name}`, stringMatchProblem(header, 'withoutHeaders'), source);
    }
    // The uri match may be an empty prefix; scheme, method and authority may not.
    r.add(`${at}.uri`, regexMatchProblem(match.uri, 'uri'), source);
    for (const field of ['scheme', 'method', 'authority'] as const) {
      r.add(`${at}.${field}`, stringMatchProblem(match[field], field), source);
    }
    for (const [name, param] of Object.entries(record(match.queryParams) ?? {})) {
      r.add(`${at}.queryParams.${name}`, stringMatchProblem(param, 'queryParams'), source);
    }
    if (match.port !== undefined && int(match.port) !== 0)
      r.add(`${at}.port`, validatePort(int(match.port)), source);
    for (const error of validateLabels(record(match.sourceLabels)))
      r.add(`${at}.sourceLabels`, error, source);
    checkGatewayNames(r, `${at}.gateways`, strings(match.gateways));
    const sourceNamespace = text(match.sourceNamespace);
    if (sourceNamespace !== '' && !isDNS1123Label(sourceNamespace)) {
      r.add(`${at}.sourceNamespace`, `sourceNamespace match ${sourceNamespace} is invalid`, source);
    }
  }
}

function checkCorsPolicy(r: Rejections, path: string, cors: Json | undefined): void {
  if (!cors) return;
  const source = V('validateCORSPolicy');
  for (const [i, origin] of (list(cors.allowOrigins) ?? []).entries()) {
    const o = record(origin) ?? {};
    const value = text(o.exact ?? o.prefix ?? o.regex);
    const at = `${path}.allowOrigins[${i}]`;
    if (value === '')
      r.add(at, `'${value}' is not a valid match type for CORS allow origins`, V('validateAllowOrigins'));
    else r.add(at, regexMatchProblem(o, 'corsPolicy.allowOrigins'), V('validateAllowOrigins'));
  }
  for (const method of strings(cors.allowMethods)) {
    if (!corsMethods.has(method))
      r.add(`${path}.allowMethods`, `${q(method)} is not a supported HTTP method`, source);
  }
  for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
    for (const name of strings(cors[field])) r.add(`${path}.${field}`, corsHeaderName(name), source);
  }
  if (cors.maxAge !== undefined) {
    r.duration(`${path}.maxAge`, cors.maxAge);
    const nanos = durationNanos(text(cors.maxAge));
    if (nanos !== undefined && nanos % 1e9 !== 0) {
      r.add(`${path}.maxAge`, 'max_age duration is accurate only to seconds precision', source);
    }
  }
}

function percentageProblem(value: unknown): string | undefined {
  const v = typeof value === 'number' ? value : 0;
  return v < 0 || v > 100 || (v > 0 && v < 0.0001)
    ? `percentage ${v} is neither 0.0, nor in range [0.0001, 100.0]`
    : undefined;
}

function checkFault(r: Rejections, path: string, fault: Json | undefined): void {
  if (!fault) return;
  const abort = record(fault.abort);
  const delay = record(fault.delay);
  if (!abort && !delay) {
    r.add(path, 'HTTP fault injection must have an abort and/or a delay', V('validateHTTPFaultInjection'));
  }
  if (abort) {
    const source = V('validateHTTPFaultInjectionAbort');
    r.add(`${path}.abort.percentage`, percentageProblem(record(abort.percentage)?.value), source);
    if ('http2Error' in abort)
      r.add(`${path}.abort`, 'HTTP/2 abort fault injection not supported yet', source);
    if ('httpStatus' in abort) {
      const status = int(abort.httpStatus);
      if (status < 200 || status > 600)
        r.add(
          `${path}.abort.httpStatus`,
          `HTTP status ${status} is not in range 200-599`,
          V('validateHTTPStatus'),
        );
    }
  }
  if (delay) {
    const source = V('validateHTTPFaultInjectionDelay');
    r.add(`${path}.delay.percentage`, percentageProblem(record(delay.percentage)?.value), source);
    r.duration(`${path}.delay.fixedDelay`, delay.fixedDelay);
    if (delay.exponentialDelay !== undefined) {
      r.duration(`${path}.delay.exponentialDelay`, delay.exponentialDelay);
      r.add(`${path}.delay.exponentialDelay`, 'exponentialDelay not supported yet', source);
    }
  }
}

function checkMirrors(r: Rejections, path: string, route: Json): void {
  const percentage = record(route.mirrorPercentage)?.value;
  if (typeof percentage === 'number') {
    const source = VS('validateHTTPRoute');
    if (percentage > 100)
      r.add(
        `${path}.mirrorPercentage`,
        `mirror_percentage must have a max value of 100 (it has ${percentage.toFixed(6)})`,
        source,
      );
    if (percentage < 0)
      r.add(
        `${path}.mirrorPercentage`,
        `mirror_percentage must have a min value of 0 (it has ${percentage.toFixed(6)})`,
        source,
      );
  }
  if (route.mirror !== undefined) checkDestination(r, `${path}.mirror`, record(route.mirror));
  for (const [i, m] of (list(route.mirrors) ?? []).entries()) {
    const destination = record(record(m)?.destination);
    if (!destination)
      r.add(`${path}.mirrors[${i}]`, 'destination is required for mirrors', V('validateHTTPMirrors'));
    else checkDestination(r, `${path}.mirrors[${i}].destination`, destination);
  }
}

function checkRedirect(r: Rejections, path: string, redirect: Json | undefined): void {
  if (!redirect) return;
  const source = V('validateHTTPRedirect');
  if (
    !redirect.uri &&
    !redirect.authority &&
    redirect.port === undefined &&
    !redirect.derivePort &&
    !redirect.scheme
  ) {
    r.add(path, 'redirect must specify URI, authority, scheme, or port', source);
  }
  const code = int(redirect.redirectCode);
  if (code !== 0 && (code < 300 || code > 399))
    r.add(`${path}.redirectCode`, `${code} is not a valid redirect code, must be 3xx`, source);
  const scheme = text(redirect.scheme);
  if (scheme !== '' && scheme !== 'http' && scheme !== 'https') {
    r.add(`${path}.scheme`, 'invalid redirect scheme, must be "http" or "https"', source);
  }
  if (int(redirect.port) > 0) r.add(`${path}.port`, validatePort(int(redirect.port)), source);
}

/**
 * A direct response: its status in 200-599 (validateHTTPStatus, which also bounds fault aborts) and a body under
 * 1 MB (a string body counted in bytes; `bytes` is base64 in JSON, its decoded size counts).
 */
function checkDirectResponse(r: Rejections, path: string, response: Json | undefined): void {
  if (!response) return;
  const status = int(response.status);
  if (status < 200 || status > 600)
    r.add(`${path}.status`, `HTTP status ${status} is not in range 200-599`, V('validateHTTPStatus'));
  const body = record(response.body);
  if (body) {
    const size =
      typeof body.string === 'string'
        ? Buffer.byteLength(body.string)
        : typeof body.bytes === 'string'
          ? Buffer.from(body.bytes, 'base64').length
          : 0;
    if (size > 1024 * 1024) {
      r.add(
        `${path}.body`,
        'large direct_responses may impact control plane performance, must be less than 1MB',
        V('validateHTTPDirectResponse'),
      );
    }
  }
}

/**
 * Retries: attempts 0 disables them, and then nothing else may be set (not perTryTimeout, retryOn nor
 * retryRemoteLocalities); retryOn is a comma list of Envoy policies or HTTP status codes Go names.
 */
function checkRetries(r: Rejections, path: string, retries: Json | undefined): void {
  if (!retries) return;
  const source = V('validateHTTPRetry');
  const attempts = int(retries.attempts);
  if (attempts < 0) r.add(`${path}.attempts`, 'attempts cannot be negative', source);
  if (
    attempts === 0 &&
    (retries.perTryTimeout !== undefined ||
      text(retries.retryOn) !== '' ||
      retries.retryRemoteLocalities !== undefined)
  ) {
    r.add(path, 'http retry policy configured when attempts are set to 0 (disabled)', source);
  }
  r.duration(`${path}.perTryTimeout`, retries.perTryTimeout);
  const retryOn = text(retries.retryOn);
  if (retryOn !== '') {
    for (const policy of retryOn.split(',')) {
      const code = /^[-+]?\d+$/.test(policy) ? Number(policy) : 0;
      if (!namedStatusCodes.has(code) && !retryOnPolicies.has(policy)) {
        r.add(`${path}.retryOn`, `${q(policy)} is not a valid retryOn policy`, source);
      }
    }
  }
  r.duration(`${path}.backoff`, retries.backoff);
}

function checkRewrite(r: Rejections, path: string, rewrite: Json | undefined): void {
  if (!rewrite) return;
  const source = V('validateHTTPRewrite');
  const regexRewrite = record(rewrite.uriRegexRewrite);
  if (text(rewrite.uri) !== '' && regexRewrite)
    r.add(path, 'rewrite may only contain one of URI or UriRegexRewrite', source);
  if (text(rewrite.uri) === '' && !regexRewrite && text(rewrite.authority) === '') {
    r.add(
      path,
      'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified',
      source,
    );
  }
  if (regexRewrite) {
    if (text(regexRewrite.match) === '' || text(regexRewrite.rewrite) === '') {
      r.add(
        `${path}.uriRegexRewrite`,
        'UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified',
        source,
      );
    } else {
      const problem = regexProblem(text(regexRewrite.match), 'HTTPRewrite.UriRegexRewrite.Match');
      if (problem) r.add(`${path}.uriRegexRewrite.match`, `UriRegexRewrite has errors\n${problem}`, source);
    }
  }
}

/**
 * Weighted destinations. istiod 1.30 does not require weights to sum to 100 (Envoy normalises them): it rejects a
 * negative weight, and several destinations whose weights are all 0.
 */
function checkRouteDestinations(r: Rejections, path: string, destinations: unknown[]): void {
  const source = V('validateHTTPRouteDestinations');
  let total = 0;
  for (const [i, entry] of destinations.entries()) {
    const at = `${path}[${i}]`;
    const weighted = record(entry);
    if (!weighted) {
      r.add(at, 'weight may not be nil', source);
      continue;
    }
    const destination = record(weighted.destination);
    if (!destination) r.add(at, 'destination is required', source);
    checkHeaderOperations(r, at, weighted.headers, 'validateHTTPRouteDestinations');
    checkDestination(r, `${at}.destination`, destination);
    const weight = int(weighted.weight);
    if (weight < 0) r.add(`${at}.weight`, `weight ${weight} < 0`, V('validateWeight'));
    total += weight;
  }
  if (destinations.length > 1 && total === 0) r.add(path, 'total destination weight = 0', source);
}

export function checkDestination(r: Rejections, path: string, destination: Json | undefined): void {
  if (!destination) return;
  const source = V('validateDestination');
  const host = text(destination.host);
  if (host === '*') r.add(`${path}.host`, `invalid destination host ${host}`, source);
  else r.add(`${path}.host`, validateWildcardDomain(host), source);
  const subset = text(destination.subset);
  if (subset !== '' && !isDNS1123Label(subset)) {
    r.add(`${path}.subset`, `subset name is invalid: ${subset}`, V('validateSubsetName'));
  }
  const port = record(destination.port);
  if (port) r.add(`${path}.port.number`, validatePort(int(port.number)), V('validatePortSelector'));
}
