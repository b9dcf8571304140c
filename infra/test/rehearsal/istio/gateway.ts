import { int, type Json, list, q, type Rejections, record, strings, text } from './istio-object.js';
import { isDNS1123Label, isIPAddress, validateNamespaceSlashHost, validatePort } from './names.js';
import { cite } from './upstream-source.js';

// ValidateGateway, validateServer, validateServerPort, validateServerBind and validateTLSOptions:
// istio/istio@1.30.3 pkg/config/validation/validation.go; protocols from pkg/config/protocol/instance.go Parse.

const V = (fn: string) => cite('validation', fn);

const protocols = new Set([
  'tcp',
  'udp',
  'grpc',
  'grpc-web',
  'http',
  'http_proxy',
  'http2',
  'https',
  'tls',
  'mongo',
  'redis',
  'mysql',
]);
const httpProtocols = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web']);
const tlsProtocols = new Set(['https', 'tls']);

export function checkGateway(r: Rejections, spec: Json): void {
  const name = r.object.metadata.name;
  if (!isDNS1123Label(name)) r.add('metadata.name', `invalid gateway name: ${q(name)}`, V('ValidateGateway'));
  const servers = list(spec.servers) ?? [];
  if (servers.length === 0)
    r.add('spec.servers', 'gateway must have at least one server', V('ValidateGateway'));
  const portNames = new Set<string>();
  for (const [i, entry] of servers.entries()) {
    const at = `spec.servers[${i}]`;
    const server = record(entry);
    if (!server) {
      r.add(at, 'server may not be nil', V('ValidateGateway'));
      continue;
    }
    checkServer(r, at, server);
    const port = record(server.port);
    if (port) {
      const portName = text(port.name);
      if (portNames.has(portName)) {
        r.add(
          `${at}.port.name`,
          `port names in servers must be unique: duplicate name ${portName}`,
          V('ValidateGateway'),
        );
      }
      portNames.add(portName);
    }
  }
}

function checkServer(r: Rejections, path: string, server: Json): void {
  const source = V('validateServer');
  const hosts = strings(server.hosts);
  if (hosts.length === 0) r.add(`${path}.hosts`, 'server config must contain at least one host', source);
  for (const [i, host] of hosts.entries()) {
    for (const error of validateNamespaceSlashHost(host, true)) {
      r.add(`${path}.hosts[${i}]`, error, cite('agent', 'ValidateNamespaceSlashWildcardHostname'));
    }
  }
  const port = record(server.port);
  const bind = text(server.bind);
  const portErrors = checkServerPort(r, `${path}.port`, port, bind);
  if (bind.startsWith('unix://')) {
    if (port && int(port.number) !== 0)
      r.add(`${path}.bind`, 'port number must be 0 for unix domain socket', V('validateServerBind'));
  } else if (bind !== '' && !isIPAddress(bind)) {
    r.add(`${path}.bind`, `${bind} is not a valid IP`, cite('agent', 'ValidateIPAddress'));
  }
  const tls = record(server.tls);
  checkServerTLS(r, `${path}.tls`, tls);
  if (portErrors === 0 && port) {
    const protocol = text(port.protocol).toLowerCase();
    if (tlsProtocols.has(protocol) && !tls) {
      r.add(path, 'server must have TLS settings for HTTPS/TLS protocols', source);
    } else if (!tlsProtocols.has(protocol) && tls) {
      // A plain-text HTTP server may carry only httpsRedirect; the TLS mode defaults to PASSTHROUGH (enum 0).
      if (httpProtocols.has(protocol)) {
        const passthrough = ['PASSTHROUGH', 'AUTO_PASSTHROUGH'].includes(text(tls.mode) || 'PASSTHROUGH');
        if (!passthrough || tls.caCertificates || tls.privateKey || tls.serverCertificate) {
          r.add(`${path}.tls`, 'server cannot have TLS settings for plain text HTTP ports', source);
        }
      } else {
        r.add(`${path}.tls`, 'server cannot have TLS settings for non HTTPS/TLS ports', source);
      }
    }
  }
}

/** Returns how many errors the port had (the TLS-by-protocol rules only run on a valid port). */
function checkServerPort(r: Rejections, path: string, port: Json | undefined, bind: string): number {
  const source = V('validateServerPort');
  if (!port) {
    r.add(path, 'port is required', source);
    return 1;
  }
  const before = r.findings.length;
  const protocol = text(port.protocol);
  if (!protocols.has(protocol.toLowerCase())) {
    r.add(
      `${path}.protocol`,
      `invalid protocol ${q(protocol)}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`,
      source,
    );
  }
  if (int(port.number) > 0 || !bind.startsWith('unix://'))
    r.add(`${path}.number`, validatePort(int(port.number)), source);
  if (int(port.targetPort) > 0) r.add(`${path}.targetPort`, 'targetPort has no impact on Gateways', source);
  if (text(port.name) === '') r.add(`${path}.name`, 'port name must be set', source);
  return r.findings.length - before;
}

/** Server TLS: which certificate source each mode needs, and what ISTIO_MUTUAL may not carry. */
function checkServerTLS(r: Rejections, path: string, tls: Json | undefined): void {
  if (!tls) return;
  const source = V('validateTLSOptions');
  const mode = text(tls.mode) || 'PASSTHROUGH';
  const credentialName = text(tls.credentialName);
  const credentialNames = strings(tls.credentialNames);
  const tlsCertificates = list(tls.tlsCertificates) ?? [];
  if (mode === 'ISTIO_MUTUAL') {
    const forbidden: [boolean, string][] = [
      [!!tls.serverCertificate, 'server certificate'],
      [!!tls.privateKey, 'private key'],
      [!!tls.caCertificates, 'CA bundle'],
      [tlsCertificates.length > 0, 'tlsCertificates'],
      [credentialName !== '', 'credentialName'],
      [credentialNames.length > 0, 'credentialNames'],
    ];
    for (const [set, what] of forbidden)
      if (set) r.add(path, `ISTIO_MUTUAL TLS cannot have associated ${what}`, source);
    return;
  }
  const sources = [
    !!tls.serverCertificate && !!tls.privateKey,
    credentialName !== '',
    credentialNames.length > 0,
    tlsCertificates.length > 0,
  ].filter(Boolean).length;
  if (sources > 1) {
    r.add(
      path,
      'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified',
      source,
    );
  }
  const terminating = ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'].includes(mode);
  if (terminating && (credentialName !== '' || credentialNames.length > 0)) return;
  if (terminating) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (mode !== 'SIMPLE' && !tls.caCertificates)
      r.add(path, `${prefix} requires a client CA bundle`, source);
    const certs = tlsCertificates.length > 0 ? tlsCertificates.map((c) => record(c) ?? {}) : [tls];
    for (const cert of certs) {
      if (!cert.serverCertificate) r.add(path, `${prefix} requires a server certificate`, source);
      if (!cert.privateKey) r.add(path, `${prefix} requires a private key`, source);
    }
  }
  if (tls.caCrl) {
    if (credentialName !== '')
      r.add(
        path,
        'CRL is not supported with credentialName. CRL has to be specified in the credential',
        source,
      );
    if (mode === 'SIMPLE') r.add(path, 'CRL is not supported with SIMPLE TLS', source);
  }
}
