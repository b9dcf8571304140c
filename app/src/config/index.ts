export { withDotEnv } from './env-files.js';
export { type Config, ConfigError, loadConfig, type RawEnv } from './load-config.js';
export type { LayerName } from './schema.js';
export type { Tier } from './tiers.js';
