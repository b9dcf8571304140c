import { q, type Rejections, record, strings, text } from './istio-object.js';
import { cite } from './upstream-source.js';

// Header names and values in routes, matches and CORS. Sources: istio/istio@1.30.3
// pkg/config/validation/validation.go (ValidateHTTPHeaderWithAuthorityOperationName, ValidateHTTPHeaderOperationName,
// ValidateHTTPHeaderValue, ValidateHTTPHeaderNameOrJwtClaimRoute, ValidateCORSHTTPHeaderName) and
// header_value_validator.go (validateHeaderValue: `%` must open a complete `%VARIABLE%` or be doubled).

const tchars = "!#$%&'*+\\-.^_`|~A-Za-z0-9";
const headerName = new RegExp(`^[${tchars}]+$`);
const pseudoHeaders = new Set([':method', ':scheme', ':authority', ':path', ':status']);
/** Control characters other than tab (the validator's ^[^\x00-\x08\x0A-\x1F\x7F]*$), by code point. */
const hasControlCharacter = (value: string) =>
  [...value].some((ch) => {
    const c = ch.codePointAt(0)!;
    return c <= 0x08 || (c >= 0x0a && c <= 0x1f) || c === 0x7f;
  });

const isInternal = (name: string) => name.startsWith(':') || name.toLowerCase() === 'host';
const isAuthority = (name: string) => name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';

export function headerNameForSet(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternal(name) && !isAuthority(name))
    return `invalid header ${q(name)}: header cannot have ":" prefix`;
  return undefined;
}

export function headerNameForRemoveOrResponse(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header ${q(name)}: cannot set Host header`;
  if (isInternal(name)) return `invalid header ${q(name)}: header cannot have ":" prefix`;
  return undefined;
}

export function headerValue(value: string): string | undefined {
  if (hasControlCharacter(value)) return `header value configuration ${value} is invalid`;
  const problem = envoyFormatProblem(value);
  return problem ? `header value configuration: invalid header configuration. ${problem}` : undefined;
}

/**
 * Envoy reads `%NAME%` and `%NAME(args)%` as command operators: a lone `%` must be doubled and every variable
 * closed (validateHeaderValue's literal and variable states; the JSON argument states are not encoded: a variable
 * with arguments only needs its closing `)` and `%`).
 */
function envoyFormatProblem(value: string): string | undefined {
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '%') {
      i++;
      continue;
    }
    if (i + 1 >= value.length) return 'Un-escaped %';
    if (value[i + 1] === '%') {
      i += 2;
      continue;
    }
    const close = /^[^%(]*(\([^)]*\)\s*)?%/.exec(value.slice(i + 1));
    if (!close) return `Un-terminated variable expression '${value}'`;
    i += 1 + close[0].length;
  }
  return undefined;
}

export function matchHeaderName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.startsWith('@request.auth.claims')) return undefined;
  if (pseudoHeaders.has(name)) return undefined;
  return headerName.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

export function corsHeaderName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name === '*') return undefined;
  return headerName.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

/** `headers: {request: {set, add, remove}, response: {set, add, remove}}` of a route or a destination. */
export function checkHeaderOperations(r: Rejections, path: string, headers: unknown, fn: string): void {
  const ops = record(headers);
  if (!ops) return;
  const source = cite('validation', fn);
  for (const side of ['request', 'response'] as const) {
    const op = record(ops[side]) ?? {};
    const nameRule = side === 'request' ? headerNameForSet : headerNameForRemoveOrResponse;
    for (const kind of ['set', 'add'] as const) {
      for (const [name, value] of Object.entries(record(op[kind]) ?? {})) {
        const at = `${path}.headers.${side}.${kind}.${name}`;
        r.add(at, nameRule(name), source);
        r.add(at, headerValue(text(value)), source);
      }
    }
    for (const name of strings(op.remove)) {
      r.add(`${path}.headers.${side}.remove`, headerNameForRemoveOrResponse(name), source);
    }
  }
}
