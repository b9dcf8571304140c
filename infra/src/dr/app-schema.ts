import { readdirSync } from 'node:fs';

/**
 * What the verification knows of the service's schema (app/prisma/schema.prisma, the `@@map` names; the
 * append-only triggers of migration 20261122005347_init; the runtime role of 20261204120000_runtime_role).
 */
export const appTables = [
  'users',
  'items',
  'sessions',
  'retired_refresh_tokens',
  'audit_logs',
  'outbox_events',
  'processed_events',
  'notifications',
] as const;

/** Tables whose `created_at` says when the service last wrote: the restored data's newest write. */
export const timestampedTables = [
  'users',
  'items',
  'sessions',
  'audit_logs',
  'outbox_events',
  'notifications',
] as const;

export const auditTrail = {
  table: 'audit_logs',
  /** Where retention's purge records the runs of entries it removed (20261205121000_data_retention). */
  checkpoints: 'audit_log_checkpoints',
  sequence: 'audit_logs_id_seq',
  refuseFunction: 'audit_logs_refuse_change',
  /** Row-level (UPDATE, DELETE) and statement-level (TRUNCATE) guards. */
  triggers: ['audit_logs_append_only_rows', 'audit_logs_append_only_truncate'],
  runtimeRole: 'platform_api_runtime',
} as const;

const migrationsDir = new URL('../../../app/prisma/migrations/', import.meta.url);

/** The migrations this checkout of the service ships, oldest first (Prisma's `<timestamp>_<name>` folders). */
export function appMigrationNames(dir: URL | string = migrationsDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{14}_/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}
