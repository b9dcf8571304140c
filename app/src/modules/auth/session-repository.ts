import { Prisma, type Session as SessionRow } from '../../generated/prisma/client.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { DbClient } from '../shared/db-client.js';
import type { Session } from './session.js';

export interface NewSession {
  readonly userId: string;
  readonly tokenHash: string;
  readonly userAgent: string | undefined;
  readonly ip: string | undefined;
  readonly expiresAt: Date;
}

const toSession = ({ currentTokenHash: _secret, revokedReason: _reason, ...session }: SessionRow): Session =>
  session;

/** A session's columns under the names of `Session`, for the statements written out. */
const sessionColumns = Prisma.raw(
  `id::text AS id, user_id::text AS "userId", family_id::text AS "familyId", user_agent AS "userAgent", ip,
   expires_at AS "expiresAt", revoked_at AS "revokedAt", created_at AS "createdAt", last_used_at AS "lastUsedAt"`,
);

/** Sessions (one per login, i.e. per device) and the refresh tokens they have rotated away. */
export function sessionRepository(db: DbClient) {
  return {
    /**
     * A login's session and its audit entry (whose target is the new session) in one statement: atomic without
     * BEGIN and COMMIT, one round trip instead of four, and the audit chain's lock, which an entry holds until
     * its transaction commits, is not held while a COMMIT travels from the service. The entry exists if and
     * only if the session does.
     */
    async createWithAudit(session: NewSession, audit: (sessionId: string) => AuditEvent): Promise<Session> {
      const id = crypto.randomUUID();
      const entry = audit(id);
      const [created] = await db.$queryRaw<Session[]>`
        WITH entry AS (
          INSERT INTO audit_logs (actor_id, action, target, outcome, ip, request_id, metadata)
          VALUES (${entry.actorId}::uuid, ${entry.action}, ${entry.target}, ${entry.outcome}::"AuditOutcome",
                  ${entry.ip}, ${entry.requestId}, ${entry.metadata ? JSON.stringify(entry.metadata) : null}::jsonb)
        )
        INSERT INTO sessions (id, user_id, family_id, current_token_hash, user_agent, ip, expires_at)
        VALUES (${id}::uuid, ${session.userId}::uuid, ${id}::uuid, ${session.tokenHash},
                ${session.userAgent ?? null}, ${session.ip ?? null}, ${session.expiresAt}::timestamptz)
        RETURNING ${sessionColumns}`;
      if (!created) throw new Error('INSERT ... RETURNING returned no row');
      return created;
    },
    async findById(id: string): Promise<Session | undefined> {
      const row = await db.session.findUnique({ where: { id } });
      return row ? toSession(row) : undefined;
    },
    async findByCurrentToken(tokenHash: string): Promise<Session | undefined> {
      const row = await db.session.findUnique({ where: { currentTokenHash: tokenHash } });
      return row ? toSession(row) : undefined;
    },
    /** The session a refresh token was once issued for, if it has been rotated away since. */
    async findByRetiredToken(tokenHash: string): Promise<Session | undefined> {
      const row = await db.retiredRefreshToken.findUnique({
        where: { tokenHash },
        include: { session: true },
      });
      return row ? toSession(row.session) : undefined;
    },
    /**
     * Swaps the current token for the next one, only if the presented token is still current: of two concurrent
     * refreshes with the same token, exactly one wins; the other sees `false` and is treated as reuse.
     */
    async rotate(sessionId: string, presentedHash: string, nextHash: string): Promise<boolean> {
      const { count } = await db.session.updateMany({
        where: { id: sessionId, currentTokenHash: presentedHash, revokedAt: null },
        data: { currentTokenHash: nextHash, lastUsedAt: new Date() },
      });
      if (count === 0) return false;
      await db.retiredRefreshToken.create({ data: { tokenHash: presentedHash, sessionId } });
      return true;
    },
    /** Revokes live sessions matching the filter; returns the ids it revoked. */
    async revoke(
      filter: { id?: string; userId?: string; exceptId?: string },
      reason: string,
    ): Promise<string[]> {
      const where = {
        id: filter.exceptId ? { equals: filter.id, not: filter.exceptId } : filter.id,
        userId: filter.userId,
        revokedAt: null,
      };
      const live = await db.session.findMany({ where, select: { id: true } });
      if (live.length === 0) return [];
      const ids = live.map((session) => session.id);
      await db.session.updateMany({
        where: { id: { in: ids }, revokedAt: null },
        data: { revokedAt: new Date(), revokedReason: reason },
      });
      return ids;
    },
    async listLive(userId: string): Promise<Session[]> {
      const rows = await db.session.findMany({
        where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { lastUsedAt: 'desc' },
      });
      return rows.map(toSession);
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
