import { isIP } from 'node:net';
import { q } from './istio-object.js';

// Hostname, label and port rules istiod shares across kinds, in our words.
// Sources: istio/istio@1.30.3 pkg/config/labels/instance.go (IsDNS1123Label, IsWildcardDNS1123Label, Validate),
// pkg/config/validation/agent/validation.go (ValidateWildcardDomain, ValidateFQDN, ValidatePort,
// ValidateNamespaceSlashWildcardHostname, ValidatePartialWildCard), pkg/config/host/name.go (Matches).

const label = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const dns1123Label = new RegExp(`^${label}$`);
const wildcardLabel = new RegExp(`^(\\*|(\\*|\\*-)?${label})$`);
const qualifiedName = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const tagKey = new RegExp(`^(${label}(?:\\.${label})*/)?(${qualifiedName})$`);
const labelValue = new RegExp(`^(${qualifiedName})?$`);

export const isDNS1123Label = (v: string) => v.length <= 63 && dns1123Label.test(v);
const isWildcardDNS1123Label = (v: string) => v.length <= 63 && wildcardLabel.test(v);

/** Go's netip.ParseAddr accepts what Node's isIP does for the addresses written in configs. */
export const isIPAddress = (v: string) => isIP(v) !== 0;

function dns1123Preconditions(name: string): string | undefined {
  if (name.length > 255) return `domain name ${q(name)} too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

function dns1123Labels(domain: string): string | undefined {
  const parts = domain.split('.');
  const top = parts.at(-1)!;
  if (/^[-+]?\d+$/.test(top)) {
    return `domain name ${q(domain)} invalid (top level domain ${q(top)} cannot be all-numeric)`;
  }
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part === '') return undefined;
    if (!isDNS1123Label(part)) return `domain name ${q(domain)} invalid (label ${q(part)} invalid)`;
  }
  return undefined;
}

export function validateFQDN(fqdn: string): string | undefined {
  return dns1123Preconditions(fqdn) ?? dns1123Labels(fqdn);
}

/** A FQDN whose first label may be a wildcard (`*`, `*.example.com`, `*-foo.example.com`). */
export function validateWildcardDomain(domain: string): string | undefined {
  const pre = dns1123Preconditions(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardDNS1123Label(first)) return `domain name ${q(domain)} invalid (label ${q(first)} invalid)`;
  return dot < 0 ? undefined : dns1123Labels(domain.slice(dot + 1));
}

export function validatePort(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? undefined
    : `port number ${port} must be in the range 1..65535`;
}

function partialWildcard(host: string): string | undefined {
  return host.includes('*') && host.length !== 1 && !host.startsWith('*.')
    ? `partial wildcard ${q(host)} not allowed`
    : undefined;
}

/**
 * `namespace/dnsName` (ValidateNamespaceSlashWildcardHostname): a Gateway server host may also omit the namespace
 * and may be an IP; elsewhere (sidecar-style hosts) the namespace is required and may also be `~`.
 */
export function validateNamespaceSlashHost(hostname: string, isGateway: boolean): string[] {
  const slash = hostname.indexOf('/');
  if (slash < 0 && !isGateway) return ['host must be of form namespace/dnsName'];
  const errors: string[] = [];
  let dnsName = hostname;
  if (slash >= 0) {
    const [namespace, name] = [hostname.slice(0, slash), hostname.slice(slash + 1)];
    if (namespace === '' || name === '')
      errors.push('config namespace and dnsName in host entry cannot be empty');
    const special = isGateway ? ['*', '.'] : ['*', '.', '~'];
    if (!special.includes(namespace) && !isDNS1123Label(namespace)) {
      errors.push(`invalid namespace value ${q(namespace)} in ${isGateway ? 'gateway' : 'sidecar'}`);
    }
    dnsName = name;
  }
  if (dnsName !== '*' && !dnsName.includes('.')) errors.push('short names (non FQDN) are not allowed');
  const domainError = validateWildcardDomain(dnsName);
  if (domainError) {
    if (!isGateway) errors.push(domainError);
    if (!isIPAddress(dnsName)) errors.push(domainError);
  }
  const partial = partialWildcard(dnsName);
  if (partial) errors.push(partial);
  return errors;
}

/** host.Name.Matches: equal, or one wildcard's suffix covers the other. */
export function hostsOverlap(a: string, b: string): boolean {
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild)
    return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

/** labels.Instance.Validate: Kubernetes-style label keys and values. */
export function validateLabels(labels: Record<string, unknown> | undefined): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const match = tagKey.exec(key);
    if (!match) errors.push(`invalid tag key: ${q(key)}`);
    else if (match[1] && match[1].length - 1 > 253)
      errors.push(`invalid tag key: ${q(key)} (DNS prefix is too long)`);
    else if ((match[2] ?? '').length > 63) errors.push(`invalid tag key: ${q(key)} (name is too long)`);
    if (typeof value !== 'string' || !labelValue.test(value))
      errors.push(`invalid tag value: ${q(String(value))}`);
  }
  return errors;
}
