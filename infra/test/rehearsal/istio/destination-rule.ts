import { int, type Json, list, type Rejections, record, text } from './istio-object.js';
import { isDNS1123Label, validateLabels, validateWildcardDomain } from './names.js';
import { cite } from './upstream-source.js';
import { checkWorkloadSelector } from './workload-selector.js';

// ValidateDestinationRule and validateTrafficPolicy with what it calls: istio/istio@1.30.3
// pkg/config/validation/validation.go, and agent/validation.go ValidateTLS (client TLS).

const V = (fn: string) => cite('validation', fn);

export function checkDestinationRule(r: Rejections, spec: Json): void {
  r.add('spec.host', validateWildcardDomain(text(spec.host)), V('ValidateDestinationRule'));
  checkTrafficPolicy(r, 'spec.trafficPolicy', spec.trafficPolicy);
  const names = new Set<string>();
  for (const [i, entry] of (list(spec.subsets) ?? []).entries()) {
    const at = `spec.subsets[${i}]`;
    const subset = record(entry);
    if (!subset) {
      r.add(at, 'subset may not be null', V('ValidateDestinationRule'));
      continue;
    }
    const name = text(subset.name);
    if (names.has(name)) r.add(at, `duplicate subset names: ${name}`, V('ValidateDestinationRule'));
    names.add(name);
    if (name === '') r.add(`${at}.name`, 'subset name cannot be empty', V('validateSubsetName'));
    else if (!isDNS1123Label(name))
      r.add(`${at}.name`, `subset name is invalid: ${name}`, V('validateSubsetName'));
    for (const error of validateLabels(record(subset.labels)))
      r.add(`${at}.labels`, error, V('validateSubset'));
    checkTrafficPolicy(r, `${at}.trafficPolicy`, subset.trafficPolicy);
  }
  if (spec.workloadSelector !== undefined) {
    checkWorkloadSelector(r, { selector: spec.workloadSelector }, 'spec.workloadSelector');
  }
}

function checkTrafficPolicy(r: Rejections, path: string, value: unknown): void {
  const policy = record(value);
  if (!policy) return;
  const fields = [
    'outlierDetection',
    'connectionPool',
    'loadBalancer',
    'tls',
    'portLevelSettings',
    'tunnel',
    'proxyProtocol',
    'retryBudget',
  ];
  if (!fields.some((f) => policy[f] !== undefined)) {
    r.add(path, 'traffic policy must have at least one field', V('validateTrafficPolicy'));
    return;
  }
  if (policy.tunnel !== undefined && policy.proxyProtocol !== undefined) {
    r.add(path, 'tunnel and proxyProtocol must not be set together', V('validateTrafficPolicy'));
    return;
  }
  checkPortPolicy(r, path, policy);
  for (const [i, entry] of (list(policy.portLevelSettings) ?? []).entries()) {
    const at = `${path}.portLevelSettings[${i}]`;
    const port = record(entry) ?? {};
    const source = V('validatePortTrafficPolicies');
    if (!record(port.port)) r.add(at, 'portTrafficPolicy must have valid port', source);
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((f) => port[f] !== undefined)) {
      r.add(at, 'port traffic policy must have at least one field', source);
    } else {
      checkPortPolicy(r, at, port);
    }
  }
  const proxyProtocol = record(policy.proxyProtocol);
  if (proxyProtocol) {
    const version = proxyProtocol.version;
    if (version !== undefined && version !== 'V1' && version !== 'V2' && version !== 0 && version !== 1) {
      r.add(
        `${path}.proxyProtocol.version`,
        `proxy protocol version is invalid: ${String(version)}`,
        V('validateProxyProtocol'),
      );
    }
  }
  if (policy.tunnel !== undefined) {
    r.add(
      `${path}.tunnel`,
      'tunnel settings are not encoded in the rehearsal’s istiod rules: add them before use',
      V('validateTunnelSettings'),
    );
  }
}

/** The parts a port-level policy shares with the whole policy. */
function checkPortPolicy(r: Rejections, path: string, policy: Json): void {
  checkOutlierDetection(r, `${path}.outlierDetection`, record(policy.outlierDetection));
  checkConnectionPool(r, `${path}.connectionPool`, record(policy.connectionPool));
  checkLoadBalancer(r, `${path}.loadBalancer`, record(policy.loadBalancer));
  checkClientTLS(r, `${path}.tls`, record(policy.tls));
}

const percentProblem = (v: number) =>
  v < 0 || v > 100 ? `percentage ${v} is not in range 0..100` : undefined;

function checkOutlierDetection(r: Rejections, path: string, outlier: Json | undefined): void {
  if (!outlier) return;
  const source = V('validateOutlierDetection');
  r.duration(`${path}.baseEjectionTime`, outlier.baseEjectionTime);
  r.duration(`${path}.interval`, outlier.interval);
  if (outlier.splitExternalLocalOriginErrors !== true && int(outlier.consecutiveLocalOriginFailures) > 0) {
    r.add(
      path,
      'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
      source,
    );
  }
  r.add(`${path}.maxEjectionPercent`, percentProblem(int(outlier.maxEjectionPercent)), V('ValidatePercent'));
  r.add(`${path}.minHealthPercent`, percentProblem(int(outlier.minHealthPercent)), V('ValidatePercent'));
}

function checkConnectionPool(r: Rejections, path: string, pool: Json | undefined): void {
  if (!pool) return;
  const source = V('validateConnectionPool');
  const http = record(pool.http);
  const tcp = record(pool.tcp);
  if (!http && !tcp) {
    r.add(path, 'connection pool must have at least one field', source);
    return;
  }
  if (http) {
    const nonNegative: [string, string][] = [
      ['http1MaxPendingRequests', 'http1 max pending requests must be non-negative'],
      ['http2MaxRequests', 'http2 max requests must be non-negative'],
      ['maxRequestsPerConnection', 'max requests per connection must be non-negative'],
      ['maxRetries', 'max retries must be non-negative'],
      ['maxConcurrentStreams', 'max concurrent streams must be non-negative'],
    ];
    for (const [field, message] of nonNegative)
      if (int(http[field]) < 0) r.add(`${path}.http.${field}`, message, source);
    r.duration(`${path}.http.idleTimeout`, http.idleTimeout);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      r.add(`${path}.http`, 'use client protocol must not be true when H2UpgradePolicy is UPGRADE', source);
    }
  }
  if (tcp) {
    if (int(tcp.maxConnections) < 0)
      r.add(`${path}.tcp.maxConnections`, 'max connections must be non-negative', source);
    r.duration(`${path}.tcp.connectTimeout`, tcp.connectTimeout);
    r.duration(`${path}.tcp.maxConnectionDuration`, tcp.maxConnectionDuration);
    // An idle timeout of 0s disables it and is allowed.
    if (tcp.idleTimeout !== '0s' && tcp.idleTimeout !== '0')
      r.duration(`${path}.tcp.idleTimeout`, tcp.idleTimeout);
    const keepalive = record(tcp.tcpKeepalive);
    r.duration(`${path}.tcp.tcpKeepalive.time`, keepalive?.time);
    r.duration(`${path}.tcp.tcpKeepalive.interval`, keepalive?.interval);
  }
}

function checkLoadBalancer(r: Rejections, path: string, lb: Json | undefined): void {
  if (!lb) return;
  const source = V('validateLoadBalancer');
  const hash = record(lb.consistentHash);
  const cookie = record(hash?.httpCookie);
  if (cookie && text(cookie.name) === '')
    r.add(`${path}.consistentHash.httpCookie`, 'name required for HttpCookie', source);
  const maglev = record(hash?.maglev);
  if (maglev) {
    const size = int(maglev.tableSize);
    if (size === 0) r.add(`${path}.consistentHash.maglev`, 'tableSize must be set for maglev', source);
    if (size >= 5000011)
      r.add(`${path}.consistentHash.maglev`, 'tableSize must be less than 5000011 for maglev', source);
    if (!isPrime(size))
      r.add(`${path}.consistentHash.maglev`, 'tableSize must be a prime number for maglev', source);
  }
  if (hash && int(hash.minimumRingSize) !== 0 && (hash.maglev !== undefined || hash.ringHash !== undefined)) {
    r.add(
      `${path}.consistentHash`,
      'only one of MinimumRingSize or Maglev/Ringhash can be specified',
      source,
    );
  }
  if (lb.localityLbSetting !== undefined) {
    r.add(
      `${path}.localityLbSetting`,
      'localityLbSetting is not encoded in the rehearsal’s istiod rules: add it before use',
      cite('agent', 'ValidateLocalityLbSetting'),
    );
  }
  const warmup = record(lb.warmup);
  if (warmup) {
    if (warmup.duration === undefined) r.add(`${path}.warmup`, 'duration is required', source);
    else r.duration(`${path}.warmup.duration`, warmup.duration);
    if (int(warmup.minimumPercent) > 100)
      r.add(
        `${path}.warmup.minimumPercent`,
        'minimumPercent value should be less than or equal to 100',
        source,
      );
    if (warmup.aggression !== undefined && int(warmup.aggression) < 1)
      r.add(`${path}.warmup.aggression`, 'aggression should be greater than or equal to 1', source);
  }
}

/** Envoy's own primality test, copied into istiod (validation.go isPrime): 0 is not prime, 1..3 are. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let f = 3; f <= Math.floor(Math.sqrt(x)); f += 2) if (x % f === 0) return false;
  return true;
}

/** Client TLS (agent.ValidateTLS): credentialName replaces inline certificates; MUTUAL needs a client cert. */
function checkClientTLS(r: Rejections, path: string, tls: Json | undefined): void {
  if (!tls) return;
  const source = cite('agent', 'ValidateTLS');
  const mode = text(tls.mode) || 'DISABLE';
  const credentialName = text(tls.credentialName);
  if (credentialName.startsWith('configmap://')) {
    const namespace = r.object.metadata.namespace ?? '';
    const ref = credentialName.slice('configmap://'.length).split('/');
    if (ref.length === 2 && ref[0] !== namespace) {
      r.add(
        `${path}.credentialName`,
        `invalid configmap:// credentialName: namespace must match the configuration namespace "${namespace}"`,
        source,
      );
    }
  }
  if (tls.insecureSkipVerify === true) {
    if (mode === 'SIMPLE' && (tls.caCertificates || credentialName || tls.subjectAltNames !== undefined)) {
      r.add(
        path,
        'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true',
        source,
      );
    }
    if (mode === 'MUTUAL' && (tls.caCertificates || tls.subjectAltNames !== undefined)) {
      r.add(
        path,
        'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true',
        source,
      );
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName !== '') {
    if (tls.clientCertificate || tls.caCertificates || tls.privateKey || tls.caCrl) {
      r.add(
        path,
        'cannot specify client certificates or CA certificate or CA CRL If credentialName is set',
        source,
      );
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (!tls.clientCertificate) r.add(path, 'client certificate required for mutual tls', source);
    if (!tls.privateKey) r.add(path, 'private key required for mutual tls', source);
  }
}
