import { isIPv4, isIPv6 } from 'node:net';

/**
 * The string formats a CRD schema may use, as the API server checks them. Formats outside this list are stripped
 * from the schema and never checked (kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/validation/formats.go,
 * `supportedVersionedFormats`; names are compared with dashes removed, so `date-time` is `datetime`). `int32`,
 * `int64`, `double` and `float` are not in it: the API server ignores them.
 * Each check encodes the kube-openapi strfmt validator the format is registered with (pkg/validation/strfmt
 * default.go, time.go, date.go, duration.go, bson.go).
 */
const goDurationUnit = '(?:ns|us|µs|μs|ms|s|m|h)';
const goDuration = new RegExp(`^[-+]?(?:0|(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)${goDurationUnit})+)$`);
// strfmt duration.go also accepts "<n> <unit>" with long unit names (e.g. "3 days", "22 ns").
const strfmtDuration =
  /^(\d+)\s*(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$/i;
// strfmt time.go: RFC3339 with or without fractional seconds, and its RFC3339Millis/Micro variants.
const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const date = /^\d{4}-\d{2}-\d{2}$/;
// govalidator.IsBase64.
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
// strfmt default.go HostnamePattern (Go's \p{S}\p{L} are Unicode classes: the `u` flag gives them the same meaning).
const hostname =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z0-9\p{S}\p{L}])(-?[a-zA-Z0-9\p{S}\p{L}]){1,62})$/u;
const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
// Go net.ParseMAC: 6, 8 or 20 octets separated by ':' or '-', or dotted groups of four hex digits.
const mac =
  /^(?:[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}|[0-9a-f]{2}(?:[:-][0-9a-f]{2}){7}|[0-9a-f]{2}(?:[:-][0-9a-f]{2}){19}|[0-9a-f]{4}(?:\.[0-9a-f]{4}){2}|[0-9a-f]{4}(?:\.[0-9a-f]{4}){3}|[0-9a-f]{4}(?:\.[0-9a-f]{4}){9})$/i;

function isCidr(value: string): boolean {
  const [ip, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix) || ip === undefined) return false;
  if (isIPv4(ip)) return Number(prefix) <= 32;
  return isIPv6(ip) && Number(prefix) <= 128;
}

// Go url.ParseRequestURI: an absolute URI or an absolute path, no fragment handling beyond that.
function isRequestUri(value: string): boolean {
  if (value.startsWith('/')) return true;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) && URL.canParse(value);
}

function isRealDate(value: string): boolean {
  const parsed = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value.slice(0, 10));
}

const checks: Record<string, (value: string) => boolean> = {
  bsonobjectid: (v) => /^[0-9a-f]{24}$/i.test(v),
  uri: isRequestUri,
  // net/mail.ParseAddress also accepts "Name <addr>"; both shapes need an @ between non-empty parts.
  email: (v) => /^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(v),
  hostname: (v) => hostname.test(v) && v.length <= 255 && v.split('.').every((p) => p.length <= 63),
  ipv4: (v) => isIPv4(v),
  ipv6: (v) => isIPv6(v),
  cidr: isCidr,
  mac: (v) => mac.test(v),
  uuid: (v) => uuid.test(v),
  uuid3: (v) => uuid3.test(v),
  uuid4: (v) => uuid4.test(v),
  uuid5: (v) => uuid5.test(v),
  ssn: (v) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: (v) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
  byte: (v) => base64.test(v),
  password: () => true,
  date: (v) => date.test(v) && isRealDate(v),
  duration: (v) => goDuration.test(v) || strfmtDuration.test(v),
  datetime: (v) => dateTime.test(v) && isRealDate(v),
};

/** Supported by the API server but not encoded here: a value in one of these is reported, never passed silently. */
const supportedButNotEncoded = new Set(['isbn', 'isbn10', 'isbn13', 'creditcard', 'rgbcolor']);

/** `valid`, `invalid`, `ignored` (the API server strips the format) or `not-checked` (supported, not encoded here). */
export function checkFormat(format: string, value: string): 'valid' | 'invalid' | 'ignored' | 'not-checked' {
  const name = format.replaceAll('-', '');
  const check = checks[name];
  if (check) return check(value) ? 'valid' : 'invalid';
  return supportedButNotEncoded.has(name) ? 'not-checked' : 'ignored';
}
