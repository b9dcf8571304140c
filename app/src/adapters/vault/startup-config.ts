import {
  type Config,
  loadConfig,
  type RawEnv,
  readVaultSettings,
  type StartupOptions,
  withVaultSecrets,
} from '../../config/index.js';
import { VaultRuntime } from './vault-runtime.js';

/**
 * The configuration a process starts with: when `VAULT_ADDR` is set, log in, read the KV secret and layer it
 * over `raw` before parsing; otherwise parse `raw` alone. The Vault session is returned for the process to keep
 * (token renewal, secret re-reads, transit). Throws `ConfigError` or `SecretsUnavailable`.
 */
export async function loadStartupConfig(
  raw: RawEnv,
  options: StartupOptions = {},
): Promise<{ cfg: Config; vault: VaultRuntime | undefined }> {
  const settings = readVaultSettings(raw);
  if (!settings) return { cfg: loadConfig(raw), vault: undefined };
  const vault = new VaultRuntime(settings);
  const { env } = await withVaultSecrets(raw, vault, settings, options);
  return { cfg: loadConfig(env), vault };
}

/**
 * For one-shot commands that need a secret but not the whole configuration (the migration Job needs
 * `DATABASE_DIRECT_URL`): the environment with Vault's secrets layered on, or `raw` itself without Vault.
 */
export async function environmentWithVault(raw: RawEnv, options: StartupOptions = {}): Promise<RawEnv> {
  const settings = readVaultSettings(raw);
  if (!settings) return raw;
  return (await withVaultSecrets(raw, new VaultRuntime(settings), settings, options)).env;
}
