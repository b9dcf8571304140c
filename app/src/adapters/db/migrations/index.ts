export { type ApplyMigrationsOptions, applyMigrations, prismaAdvisoryLockKey } from './apply-migrations.js';
export {
  MigrationChecksumMismatch,
  MigrationControlsTransaction,
  MigrationFailed,
  UnresolvedFailedMigration,
} from './errors.js';
export { defaultMigrationsDir, type MigrationFile, readMigrationFiles } from './migration-files.js';
export type { MigrationSql, MigrationTarget } from './migration-target.js';
export { pgMigrationTarget } from './pg-target.js';
export { pgliteMigrationTarget } from './pglite-target.js';
