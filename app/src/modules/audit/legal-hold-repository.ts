import type { DbClient } from '../shared/db-client.js';

export interface LegalHoldScope {
  /** Entries whose actor is this user, or whose target is this user's id. */
  readonly userId?: string;
  /** Entries written at or after this time. */
  readonly from?: Date;
  /** Entries written before this time. */
  readonly until?: Date;
}

export interface LegalHold extends LegalHoldScope {
  readonly id: string;
  readonly reason: string;
  readonly placedBy: string;
  readonly placedAt: Date;
  readonly releasedAt?: Date;
  readonly releasedBy?: string;
}

const toHold = (row: {
  id: bigint;
  userId: string | null;
  from: Date | null;
  until: Date | null;
  reason: string;
  placedBy: string;
  placedAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
}): LegalHold => ({
  id: row.id.toString(),
  userId: row.userId ?? undefined,
  from: row.from ?? undefined,
  until: row.until ?? undefined,
  reason: row.reason,
  placedBy: row.placedBy,
  placedAt: row.placedAt,
  releasedAt: row.releasedAt ?? undefined,
  releasedBy: row.releasedBy ?? undefined,
});

/**
 * Legal holds on audit entries: the purge (audit_logs_purge, and the append-only guard itself) skips every entry
 * an unreleased hold matches. A hold is never deleted or edited; releasing it stamps who and when.
 */
export function legalHoldRepository(db: DbClient) {
  return {
    async place(scope: LegalHoldScope, reason: string, placedBy: string): Promise<LegalHold> {
      return toHold(await db.auditLegalHold.create({ data: { ...scope, reason, placedBy } }));
    },
    async list(options: { includeReleased: boolean }): Promise<LegalHold[]> {
      const rows = await db.auditLegalHold.findMany({
        where: options.includeReleased ? {} : { releasedAt: null },
        orderBy: { id: 'asc' },
      });
      return rows.map(toHold);
    },
    /** Undefined when no such hold is in force (unknown id, or released already). */
    async release(id: bigint, releasedBy: string): Promise<LegalHold | undefined> {
      const { count } = await db.auditLegalHold.updateMany({
        where: { id, releasedAt: null },
        data: { releasedAt: new Date(), releasedBy },
      });
      if (count === 0) return undefined;
      return toHold(await db.auditLegalHold.findUniqueOrThrow({ where: { id } }));
    },
  };
}

export type LegalHoldRepository = ReturnType<typeof legalHoldRepository>;
