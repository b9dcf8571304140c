import type { DbClient } from '../shared/db-client.js';
import type { Page } from '../shared/pagination.js';
import type { AuditAction, AuditEvent, AuditRecord } from './audit-event.js';

export interface AuditQuery {
  readonly limit: number;
  /** Id of the last record of the previous page (records are newest first). */
  readonly beforeId?: bigint;
  readonly actorId?: string;
  readonly action?: AuditAction;
  readonly outcome?: 'SUCCESS' | 'FAILURE';
  readonly from?: Date;
  readonly to?: Date;
}

/** Append-only: the database refuses UPDATE and DELETE on this table, so there are no such methods here. */
export function auditRepository(db: DbClient) {
  return {
    async record(event: AuditEvent): Promise<void> {
      await db.auditLog.create({ data: { ...event, metadata: event.metadata ?? undefined } });
    },
    async list(query: AuditQuery): Promise<Page<AuditRecord>> {
      const rows = await db.auditLog.findMany({
        where: {
          id: query.beforeId === undefined ? undefined : { lt: query.beforeId },
          actorId: query.actorId,
          action: query.action,
          outcome: query.outcome,
          createdAt: { gte: query.from, lt: query.to },
        },
        orderBy: { id: 'desc' },
        take: query.limit + 1,
      });
      const items = rows.slice(0, query.limit).map(
        (row): AuditRecord => ({
          id: row.id.toString(),
          actorId: row.actorId,
          action: row.action as AuditAction,
          target: row.target,
          outcome: row.outcome,
          ip: row.ip,
          requestId: row.requestId,
          metadata: (row.metadata ?? undefined) as AuditRecord['metadata'],
          createdAt: row.createdAt,
        }),
      );
      return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
