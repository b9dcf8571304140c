import type { Shell } from './shell.js';

/** Writes the service's local secrets into the dev Vault once; later runs keep what is there. */
export function seedLocalVault(sh: Shell) {
  if (sh.succeeds('vault', ['kv', 'get', '-mount=secret', 'platform-api/local'])) {
    return;
  }
  throw new Error('not yet');
}
