import { describe, expect, it } from 'vitest';
import { noSecretLiterals } from '../../src/rules/no-secret-literals.js';
import { verdict } from '../support/fixtures.js';

describe('no-secret-literals', () => {
  it('accepts names of secrets, credential-free URLs, variable references and empty values', () => {
    expect(verdict(noSecretLiterals, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('catches secrets by name and by shape in env literals and ConfigMaps', () => {
    expect(verdict(noSecretLiterals, 'fail.yaml', 'local')).toEqual([
      'ConfigMap shop/web-config: key db-password holds a secret (name says it holds a secret)',
      'ConfigMap shop/web-config: key signing.pem holds a secret (value looks like a PEM private key)',
      'Deployment shop/web: container "web": env JWT_SECRET is a literal secret (name says it holds a secret)',
      'Deployment shop/web: container "web": env DATABASE_URL is a literal secret (value looks like a URL with an embedded password)',
      'Deployment shop/web: container "web": env VAULT_TOKEN is a literal secret (name says it holds a secret)',
    ]);
  });

  it('never repeats the secret value in its report', () => {
    const report = verdict(noSecretLiterals, 'fail.yaml', 'prod').join('\n');
    for (const secret of ['hunter2', 's3cr3t', 'change-me', 'not-a-real-key'])
      expect(report).not.toContain(secret);
  });
});
