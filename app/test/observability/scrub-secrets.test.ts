import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../src/observability/scrub-secrets.js';

// Each kind of secret alone in its sentence: the quick pre-check in front of the patterns must let every one through.
describe('scrubSecrets', () => {
  const token = 'Xy7'.repeat(10);
  it.each([
    ['a JWT', `got eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.${token}`, 'got [redacted-jwt]'],
    ['a bearer token', `sent BEARER ${token}`, 'sent BEARER [redacted]'],
    ['a basic credential', `sent Basic ${token}`, 'sent Basic [redacted]'],
    ['a Vault service token', `vault said hvs.${token}`, 'vault said [redacted-vault-token]'],
    ['a legacy Vault token', `vault said s.${token}`, 'vault said [redacted-vault-token]'],
    ['a password in a URL', 'dial redis://:hunter2hunter2@cache:6379', 'dial redis://:[redacted]@cache:6379'],
    [
      'a credential in key=value text',
      `retry with password=${token} later`,
      'retry with password=[redacted] later',
    ],
  ])('cuts %s out of free text', (_kind, text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it('returns routine text unchanged', () => {
    for (const text of ['request completed', 'listening on :3000', 'draining', 'items.list took 3 ms'])
      expect(scrubSecrets(text)).toBe(text);
  });
});
