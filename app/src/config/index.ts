export { withDotEnv } from './env-files.js';
export { type Config, ConfigError, loadConfig, type RawEnv } from './load-config.js';
export type { LayerName } from './schema.js';
export type { Tier } from './tiers.js';
export type { FieldEncryptionSettings, VaultAuth, VaultSettings } from './vault-settings.js';
export {
  readVaultSettings,
  type SecretSource,
  SecretsUnavailable,
  type StartupOptions,
  withSecrets,
  withVaultSecrets,
} from './vault-source.js';
