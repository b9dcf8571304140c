import { type Json, list, type Rejections, record, strings, text } from './istio-object.js';
import { cite } from './upstream-source.js';
import { checkWorkloadSelector } from './workload-selector.js';

// ValidateRequestAuthentication and validateJwtRule: istio/istio@1.30.3 pkg/config/validation/validation.go;
// jwksUri per pkg/config/security/security.go ParseJwksURI.

const source = cite('validation', 'validateJwtRule');
const strictHeaderName = /^[-_A-Za-z0-9]+$/;

export function checkRequestAuthentication(r: Rejections, spec: Json): void {
  checkWorkloadSelector(r, spec);
  for (const [i, entry] of (list(spec.jwtRules) ?? []).entries()) {
    const rule = record(entry);
    if (rule) checkJwtRule(r, `spec.jwtRules[${i}]`, rule);
  }
}

function checkJwtRule(r: Rejections, path: string, rule: Json): void {
  if (strings(rule.audiences).some((a) => a === ''))
    r.add(`${path}.audiences`, 'audience must be non-empty string', source);
  const jwksUri = text(rule.jwksUri);
  if (text(rule.issuer) === '' && jwksUri === '')
    r.add(path, 'issuer or jwksUri must be non-empty string', source);
  if (jwksUri !== '') {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(jwksUri)?.[1]?.toLowerCase() ?? '';
    if (scheme !== 'http' && scheme !== 'https') {
      r.add(`${path}.jwksUri`, `URI scheme "${scheme}" is not supported`, cite('security', 'ParseJwksURI'));
    }
  }
  for (const header of list(rule.fromHeaders) ?? []) {
    if (text(record(header)?.name) === '')
      r.add(`${path}.fromHeaders`, 'location header name must be non-empty string', source);
  }
  if (strings(rule.fromParams).some((p) => p === ''))
    r.add(`${path}.fromParams`, 'location query must be non-empty string', source);
  if (strings(rule.fromCookies).some((c) => c === ''))
    r.add(`${path}.fromCookies`, 'cookie name must be non-empty string', source);
  for (const entry of list(rule.outputClaimToHeaders) ?? []) {
    const claim = record(entry) ?? {};
    const header = text(claim.header);
    if (text(claim.claim) === '' || header === '') {
      r.add(
        `${path}.outputClaimToHeaders`,
        'outputClaimToHeaders header and claim value must be non-empty string',
        source,
      );
    } else if (!strictHeaderName.test(header)) {
      r.add(
        `${path}.outputClaimToHeaders`,
        `header name ${header} is not a valid header name`,
        cite('validation', 'ValidateStrictHTTPHeaderName'),
      );
    }
  }
  r.duration(`${path}.timeout`, rule.timeout);
}
