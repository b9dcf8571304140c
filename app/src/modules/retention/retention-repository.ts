import type { RetainedKind } from '../../config/retention-settings.js';
import type { DbClient } from '../shared/db-client.js';

/** One table retention purges: which kind's period applies, and which of its rows that period has passed. */
interface TablePurge {
  readonly table: string;
  readonly kind: RetainedKind;
  /** The rows past the period, over `$cutoff`; `FROM <table> r` is in scope (joins add their own). */
  readonly due: string;
  readonly join?: string;
}

/**
 * In purge order: retired refresh tokens before their sessions (so each is counted, rather than cascaded away
 * unseen); the audit log last, through its own function (audit_logs_purge, migration data_retention).
 */
export const tablePurges: readonly TablePurge[] = [
  { table: 'items', kind: 'deleted_items', due: 'r.deleted_at < $cutoff' },
  { table: 'notifications', kind: 'notifications', due: 'r.created_at < $cutoff' },
  { table: 'outbox_events', kind: 'events', due: 'r.published_at < $cutoff' },
  { table: 'processed_events', kind: 'events', due: 'r.processed_at < $cutoff' },
  {
    table: 'retired_refresh_tokens',
    kind: 'sessions',
    join: 'JOIN sessions s ON s.id = r.session_id',
    due: '(s.expires_at < $cutoff OR s.revoked_at < $cutoff)',
  },
  { table: 'sessions', kind: 'sessions', due: '(r.expires_at < $cutoff OR r.revoked_at < $cutoff)' },
];
export const purgedTables = [...tablePurges.map((purge) => purge.table), 'audit_logs'] as const;

// The cutoff from the database's clock, so every replica and the CLI agree whatever their own clocks say.
const cutoff = 'now() - make_interval(days => $1::int)';
const dueRows = (purge: TablePurge) =>
  `FROM ${purge.table} r ${purge.join ?? ''} WHERE ${purge.due.replaceAll('$cutoff', cutoff)}`;

/** How many of a table's rows are due: `$1` is the period in days. */
export const countDueStatement = (purge: TablePurge) => `SELECT count(*)::int AS n ${dueRows(purge)}`;

/** Retention's statements. Table names and conditions come from the constant list above, never from input. */
export function retentionRepository(db: DbClient) {
  return {
    /**
     * Deletes at most `batchSize` due rows in one statement (its own short transaction). SKIP LOCKED: rows another
     * run is deleting right now are left to it, so two runs split the work instead of waiting or counting twice.
     */
    async purgeBatch(purge: TablePurge, days: number, batchSize: number): Promise<number> {
      return db.$executeRawUnsafe(
        `DELETE FROM ${purge.table} WHERE ctid = ANY(ARRAY(
           SELECT r.ctid ${dueRows(purge)} LIMIT $2 FOR UPDATE OF r SKIP LOCKED))`,
        days,
        batchSize,
      );
    },
    async countDue(purge: TablePurge, days: number): Promise<number> {
      const [row] = await db.$queryRawUnsafe<{ n: number }[]>(countDueStatement(purge), days);
      return row?.n ?? 0;
    },
    /** One batch through the database's audit_logs_purge: old entries under no legal hold, chain checkpointed. */
    async purgeAuditBatch(days: number, batchSize: number): Promise<number> {
      const [row] = await db.$queryRaw<{ n: number }[]>`
        SELECT audit_logs_purge(make_interval(days => ${days}::int), ${batchSize}::int) AS n`;
      return row?.n ?? 0;
    },
    /** Audit entries past the period: how many the purge may remove, and how many a legal hold keeps. */
    async countAuditDue(days: number): Promise<{ due: number; held: number }> {
      const [row] = await db.$queryRaw<{ due: number; held: number }[]>`
        SELECT count(*) FILTER (WHERE NOT held)::int AS due, count(*) FILTER (WHERE held)::int AS held
          FROM (SELECT audit_logs_held(a) AS held FROM audit_logs a
                 WHERE a.created_at < now() - make_interval(days => ${days}::int)) past`;
      return { due: row?.due ?? 0, held: row?.held ?? 0 };
    },
  };
}

export type RetentionRepository = ReturnType<typeof retentionRepository>;
export type { TablePurge };
