/**
 * Secrets that travel inside free text (error messages, stack traces, span status) where no field name can
 * flag them. Field names are redacted by the logger; these patterns catch what slips into a message.
 */
const patterns: [RegExp, string][] = [
  // JSON Web Tokens (access tokens, service-account tokens): three base64url parts, the first a JSON header.
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  // Authorization header values quoted into messages.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // Vault service, batch and recovery tokens, and the legacy `s.` form.
  [/\b(?:hv[sbr]|s)\.[A-Za-z0-9_-]{20,}/g, '[redacted-vault-token]'],
  // Passwords in connection URLs (postgres://user:password@host, redis://:password@host).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, '$1[redacted]@'],
  // Credentials in query strings and key=value text.
  [
    /\b((?:access_token|refresh_token|id_token|token|password|passwd|secret|client_secret|api_key|apikey)=)[^&\s"']+/gi,
    '$1[redacted]',
  ],
];

// Every pattern above needs one of these; most text (every routine log message) has none, and one test is
// far cheaper than five replacements on each line logged.
const mayHoldSecret = /eyJ|bearer|basic|\bhv[sbr]\.|\bs\.|:\/\/|=/i;

export function scrubSecrets(text: string): string {
  if (!mayHoldSecret.test(text)) return text;
  let scrubbed = text;
  for (const [pattern, replacement] of patterns) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}
