import { isIP } from 'node:net';
import { type Json, list, q, Rejections, record, strings, text } from './istio-object.js';
import { cite } from './upstream-source.js';
import { checkWorkloadSelector } from './workload-selector.js';

// ValidateAuthorizationPolicy: istio/istio@1.30.3 pkg/config/validation/validation.go, with the value checks of
// pkg/config/security/security.go (CheckEmptyValues, CheckServiceAccount, CheckTrustDomainValues,
// CheckValidPathTemplate, ValidateIPs, ValidatePorts, ValidateAttribute). istiod prefixes every error with
// `invalid policy <name>.<namespace>:` (multierror.Prefix).

const source = cite('validation', 'ValidateAuthorizationPolicy');
const S = (fn: string) => cite('security', fn);

/** The source fields istiod's CheckEmptyValues covers; service accounts and trust domains have checks of their own. */
const valueSourceFields = [
  'principals',
  'requestPrincipals',
  'namespaces',
  'ipBlocks',
  'remoteIpBlocks',
  'notPrincipals',
  'notRequestPrincipals',
  'notNamespaces',
  'notIpBlocks',
  'notRemoteIpBlocks',
] as const;
const serviceAccountFields = ['serviceAccounts', 'notServiceAccounts'] as const;
const trustDomainFields = ['trustDomains', 'notTrustDomains'] as const;
const sourceFields = [...valueSourceFields, ...serviceAccountFields, ...trustDomainFields] as const;
const operationFields = [
  'ports',
  'methods',
  'paths',
  'hosts',
  'notPorts',
  'notMethods',
  'notPaths',
  'notHosts',
] as const;
/** Go field names as istiod's messages spell them. */
const goName = (field: string) => field[0]!.toUpperCase() + field.slice(1);

export function checkAuthorizationPolicy(r: Rejections, spec: Json): void {
  const inner = new Rejections(r.object);
  checkPolicy(inner, spec);
  const { name, namespace = '' } = r.object.metadata;
  for (const f of inner.findings)
    r.add(f.path, `invalid policy ${name}.${namespace}: ${f.message}`, f.source);
}

function checkPolicy(r: Rejections, spec: Json): void {
  checkWorkloadSelector(r, spec);
  const action = text(spec.action) || 'ALLOW';
  // Proto3 has no presence for repeated fields: `rules: []` decodes like no rules at all.
  const rules = list(spec.rules) ?? [];
  const provider = record(spec.provider);
  if (action === 'CUSTOM') {
    if (rules.length === 0) {
      r.add(
        'spec.rules',
        'CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
        source,
      );
    } else if (text(provider?.name) === '') {
      r.add('spec.provider', '`provider.name` must not be empty', source);
    }
    checkCustomRules(r, rules);
  }
  if (provider && action !== 'CUSTOM')
    r.add('spec.provider', `\`provider\` must not be with non CUSTOM action, found ${action}`, source);
  if (action === 'DENY' && rules.length === 0) {
    r.add(
      'spec.rules',
      'DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
      source,
    );
  }
  for (const [i, entry] of rules.entries()) {
    const rule = record(entry);
    if (!rule) {
      r.add(`spec.rules[${i}]`, `\`rule\` must not be nil, found at rule ${i}`, source);
      continue;
    }
    checkFrom(r, i, rule.from);
    checkTo(r, i, rule.to);
    checkWhen(r, i, list(rule.when) ?? []);
  }
}

function checkFrom(r: Rejections, i: number, from: unknown): void {
  const entries = list(from);
  if (entries && entries.length === 0)
    r.add(`spec.rules[${i}].from`, `\`from\` must not be empty, found at rule ${i}`, source);
  for (const [j, entry] of (entries ?? []).entries()) {
    const at = `spec.rules[${i}].from[${j}].source`;
    const src = record(record(entry)?.source);
    if (!src) {
      r.add(at, `\`from.source\` must not be nil, found at rule ${i}`, source);
      continue;
    }
    const count = (...fields: string[]) => fields.reduce((n, f) => n + strings(src[f]).length, 0);
    if (
      count('principals', 'notPrincipals', 'namespaces', 'notNamespaces') > 0 &&
      count('serviceAccounts', 'notServiceAccounts') > 0
    ) {
      r.add(at, `cannot set serviceAccounts with namespaces or principals, found at rule ${i}`, source);
    }
    if (count(...sourceFields) === 0)
      r.add(at, `\`from.source\` must not be empty, found at rule ${i}`, source);
    for (const field of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']) {
      for (const error of ipProblems(strings(src[field]))) r.add(`${at}.${field}`, error, S('ValidateIPs'));
    }
    for (const field of valueSourceFields) {
      r.add(`${at}.${field}`, emptyValue(field, strings(src[field])), S('CheckEmptyValues'));
    }
    for (const field of serviceAccountFields) {
      r.add(
        `${at}.${field}`,
        serviceAccountProblem(goName(field), strings(src[field])),
        S('CheckServiceAccount'),
      );
    }
    for (const field of trustDomainFields) {
      r.add(
        `${at}.${field}`,
        trustDomainProblem(goName(field), strings(src[field])),
        S('CheckTrustDomainValues'),
      );
    }
  }
}

function checkTo(r: Rejections, i: number, to: unknown): void {
  const entries = list(to);
  if (entries && entries.length === 0)
    r.add(`spec.rules[${i}].to`, `\`to\` must not be empty, found at rule ${i}`, source);
  for (const [j, entry] of (entries ?? []).entries()) {
    const at = `spec.rules[${i}].to[${j}].operation`;
    const op = record(record(entry)?.operation);
    if (!op) {
      r.add(at, `\`to.operation\` must not be nil, found at rule ${i}`, source);
      continue;
    }
    if (operationFields.every((f) => strings(op[f]).length === 0)) {
      r.add(at, `\`to.operation\` must not be empty, found at rule ${i}`, source);
    }
    for (const field of ['ports', 'notPorts']) {
      for (const error of portProblems(strings(op[field])))
        r.add(`${at}.${field}`, error, S('ValidatePorts'));
    }
    for (const field of operationFields)
      r.add(`${at}.${field}`, emptyValue(field, strings(op[field])), S('CheckEmptyValues'));
    for (const field of ['paths', 'notPaths']) {
      r.add(
        `${at}.${field}`,
        pathTemplateProblem(goName(field), strings(op[field])),
        S('CheckValidPathTemplate'),
      );
    }
  }
}

function checkWhen(r: Rejections, i: number, conditions: unknown[]): void {
  for (const [j, entry] of conditions.entries()) {
    const at = `spec.rules[${i}].when[${j}]`;
    const condition = record(entry) ?? {};
    const key = text(condition.key);
    if (key === '') {
      r.add(at, '`key` must not be empty', source);
      continue;
    }
    const values = strings(condition.values);
    const notValues = strings(condition.notValues);
    if (values.length === 0 && notValues.length === 0) {
      r.add(at, `at least one of \`values\` or \`notValues\` must be set for key ${key}`, source);
      continue;
    }
    const v = attributeProblem(key, values);
    if (v) r.add(`${at}.values`, `invalid \`value\` for \`key\` ${key}: ${v}`, S('ValidateAttribute'));
    const n = attributeProblem(key, notValues);
    if (n) r.add(`${at}.notValues`, `invalid \`notValue\` for \`key\` ${key}: ${n}`, S('ValidateAttribute'));
  }
}

/** What CUSTOM (external authorization) does not support in 1.30. */
function checkCustomRules(r: Rejections, rules: unknown[]): void {
  const unsupported = (what: string) => `${what} is currently not supported with CUSTOM action`;
  for (const [i, rule] of rules.entries()) {
    for (const from of list(record(rule)?.from) ?? []) {
      const src = record(record(from)?.source) ?? {};
      for (const field of [
        'namespaces',
        'notNamespaces',
        'serviceAccounts',
        'notServiceAccounts',
        'trustDomains',
        'notTrustDomains',
        'principals',
        'notPrincipals',
        'requestPrincipals',
        'notRequestPrincipals',
      ]) {
        if (strings(src[field]).length > 0)
          r.add(`spec.rules[${i}].from`, unsupported(`From.${goName(field)}`), source);
      }
    }
    for (const when of list(record(rule)?.when) ?? []) {
      const key = text(record(when)?.key);
      if (
        ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(
          key,
        ) ||
        key.startsWith('request.auth.')
      ) {
        r.add(`spec.rules[${i}].when`, unsupported(key), source);
      }
    }
  }
}

function emptyValue(field: string, values: string[]): string | undefined {
  return values.includes('') ? `empty value not allowed, found in ${goName(field)}` : undefined;
}

function serviceAccountProblem(key: string, values: string[]): string | undefined {
  if (values.length > 16) return 'may not have more than 16 values';
  const format = "expected format 'serviceAccount' or 'namespace/serviceAccount'";
  for (const value of values) {
    if (value === '') return `empty value not allowed, found in ${key}`;
    if (value.includes('*')) return `wildcard not allowed, found in ${key}`;
    const slashes = value.split('/').length - 1;
    if (slashes > 1) return `${format}, found ${q(value)} in ${key}`;
    if (value.length > 320) return `value cannot exceed 320 characters, found ${q(value)} in ${key}`;
    if (slashes === 1) {
      const [ns, sa] = value.split('/') as [string, string];
      if (ns === '') return `${format}, found empty namespace ${q(value)} in ${key}`;
      if (sa === '') return `${format}, found empty serviceAccount ${q(value)} in ${key}`;
    }
  }
  return undefined;
}

function wildcardProblem(key: string, values: string[]): string | undefined {
  for (const value of values) {
    if (value === '') return `empty value not allowed, found in ${key}`;
    const stars = value.split('*').length - 1;
    if (stars > 1) return `at most one wildcard is allowed, found in ${key}: ${q(value)}`;
    if (stars === 1 && value !== '*' && !value.startsWith('*') && !value.endsWith('*')) {
      return `wildcard is only allowed at the start or end, found in ${key}: ${q(value)}`;
    }
  }
  return undefined;
}

function trustDomainProblem(key: string, values: string[]): string | undefined {
  const wildcard = wildcardProblem(key, values);
  if (wildcard) return wildcard;
  const slashed = values.find((v) => v.includes('/'));
  return slashed ? `trust domain must not contain '/', found in ${key}: ${q(slashed)}` : undefined;
}

const literalSegment = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** `{*}` matches one segment and `{**}` the rest (last only); no other braces; with a template, RFC 3986 pchars. */
function pathTemplateProblem(key: string, paths: string[]): string | undefined {
  for (const original of paths) {
    const hasTemplate = original.includes('{*}') || original.includes('{**}');
    const path = original.replace(/^\/+|\/+$/g, '');
    let matchAnySeen = false;
    for (const glob of path.split('/')) {
      if ((glob === '{*}' || glob === '{**}') && !matchAnySeen) {
        if (glob === '{**}') matchAnySeen = true;
        continue;
      }
      if (glob === '{*}' || glob === '{**}') {
        return `invalid or unsupported path ${path}, found in ${key}. {**} is not the last operator`;
      }
      if (/[{}]/.test(glob)) {
        return `invalid or unsupported path ${path}, found in ${key}. Contains '{' or '}' beyond a supported path template`;
      }
      if (hasTemplate && !literalSegment.test(glob)) {
        return `invalid or unsupported path ${path}, found in ${key}. Contains segment ${glob} with invalid string literal`;
      }
    }
  }
  return undefined;
}

function ipProblems(values: string[]): string[] {
  const errors: string[] = [];
  for (const v of values) {
    if (v.includes('/')) {
      const [address = '', bits = ''] = v.split('/');
      const max = isIP(address) === 6 ? 128 : 32;
      if (isIP(address) === 0 || !/^\d+$/.test(bits) || Number(bits) > max)
        errors.push(`bad CIDR range (${v})`);
    } else if (isIP(v) === 0) {
      errors.push(`bad IP address (${v})`);
    }
  }
  return errors;
}

function portProblems(values: string[]): string[] {
  return values.filter((p) => !/^\d+$/.test(p) || Number(p) > 65535).map((p) => `bad port (${p})`);
}

const mapKey = (key: string) => {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2
    ? undefined
    : `bad key (${key}): should have format a[b]`;
};

/** ValidateAttribute: the `when` keys istiod knows and the form of their values. */
function attributeProblem(key: string, values: string[]): string | undefined {
  if (values.includes('')) return `empty value not allowed, found in ${key}`;
  if (
    key.startsWith('request.headers') ||
    key.startsWith('request.auth.claims') ||
    key.startsWith('experimental.envoy.filters.')
  )
    return mapKey(key);
  if (['source.ip', 'remote.ip', 'destination.ip'].includes(key)) return ipProblems(values)[0];
  if (key === 'source.serviceAccount') return serviceAccountProblem(key, values);
  if (key === 'source.trustDomain') return wildcardProblem(key, values);
  if (key === 'destination.port') return portProblems(values)[0];
  if (
    [
      'source.namespace',
      'source.principal',
      'request.auth.principal',
      'request.auth.audiences',
      'request.auth.presenter',
      'connection.sni',
    ].includes(key)
  )
    return undefined;
  if (key === 'destination.namespace') return `attribute ${key} is replaced by the metadata.namespace`;
  if (key.startsWith('destination.labels')) return `attribute ${key} is replaced by the workload selector`;
  if (key === 'destination.name' || key === 'destination.user')
    return `deprecated attribute ${key}: only supported in v1alpha1`;
  return `unknown attribute: ${key}`;
}
