export { backupBase } from './backup-base.js';
export { loadStageConfig, offlineImageDigest, readStackFile } from './load-stage-config.js';
export { parseStageConfig, StageConfigError } from './parse-stage-config.js';
export type {
  BackupConfig,
  MeshConfig,
  PoolerConfig,
  PostgresConfig,
  RecoveryConfig,
  RedisConfig,
  Resources,
  StageConfig,
  TelemetryConfig,
  VaultConfig,
} from './stage-config.js';
