/**
 * Recognizes secrets by name and by shape. Names are matched on their last word so that configuration about a
 * secret (VAULT_TRANSIT_KEY names a key, TOKEN_TTL sizes one) is not mistaken for the secret itself.
 */
const secretNames =
  /(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIALS?|PRIVATE_KEY|API_KEY|ACCESS_KEY|SECRET_KEY)$/;

const secretShapes: readonly (readonly [string, RegExp])[] = [
  [
    'a URL with an embedded password',
    /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:(?!\$\([A-Za-z_][A-Za-z0-9_]*\)@)[^/\s@]+@/i,
  ],
  ['a PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a Vault token', /\bhv[sbr]\.[A-Za-z0-9_-]{20,}/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/],
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
];

/** Why a name/value pair looks like a secret, or undefined. The value itself is never echoed. */
export function secretReason(name: string, value: string): string | undefined {
  if (value === '') return undefined;
  const shape = secretShapes.find(([, pattern]) => pattern.test(value));
  if (shape) return `value looks like ${shape[0]}`;
  const normalized = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return secretNames.test(normalized) ? 'name says it holds a secret' : undefined;
}
