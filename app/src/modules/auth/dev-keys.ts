import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { SigningKeySet } from './key-ring.js';

/** A fresh ES256 key set with one key: what tests and the local tier use. */
export async function generateSigningKeySet(kid = `dev-${Date.now().toString(36)}`): Promise<SigningKeySet> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { activeKid: kid, keys: [{ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }] };
}

/**
 * Local tier only: a development key pair generated on first start and kept in a file (mode 0600), so tokens
 * survive restarts of `npm start`. Cluster tiers get their keys from configuration (Vault).
 *
 * Where the file cannot be written (a container's read-only root filesystem, a directory that is not one), the
 * key pair stays in memory and a warning says so: tokens then last until the process restarts. Starting
 * without a key is never worse than starting with one that does not survive a restart.
 */
export async function localSigningKeys(file: string): Promise<SigningKeySet> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as SigningKeySet;
  const set = await generateSigningKeySet();
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(set), { mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    process.emitWarning(
      `JWT_KEYS_FILE ${file} is not writable (${code}): the development signing key lives in memory only, so tokens end with this process; set JWT_SIGNING_KEYS to keep them`,
      { code: 'PLATFORM_DEV_KEYS_NOT_PERSISTED' },
    );
  }
  return set;
}
