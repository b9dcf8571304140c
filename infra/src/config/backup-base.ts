import { postgres } from '@platform/charts/contract';

/**
 * What every stage that backs up shares. A stack's `platform:postgres.backup` is laid over it key by key, so a
 * stage names only its bucket path, its credentials and what it changes (prod keeps backups longer).
 */
export const backupBase = {
  /** Six-field cron (seconds first): a base backup a day, at 03:00 in the cluster's time zone. */
  schedule: '0 0 3 * * *',
  /** Base backups and the WAL needed to restore from them are kept this long (Barman Cloud retention). */
  retentionPolicy: '7d',
  /**
   * The folder in the bucket the cluster archives into. A cluster restored from a backup must archive under a
   * new name (the plugin refuses to archive into a folder that already holds WAL): see recovery in the runbook.
   */
  serverName: postgres.cluster,
} as const;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The base with the stack's own backup keys over it; anything that is not an object is left for the schema. */
export function withBackupBase(value: unknown): unknown {
  return isPlainObject(value) ? { ...backupBase, ...value } : value;
}
