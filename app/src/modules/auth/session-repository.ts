import type { Session as SessionRow } from '../../generated/prisma/client.js';
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

/** Sessions (one per login, i.e. per device) and the refresh tokens they have rotated away. */
export function sessionRepository(db: DbClient) {
  return {
    async create(session: NewSession): Promise<Session> {
      const id = crypto.randomUUID();
      const { tokenHash, ...rest } = session;
      return toSession(
        await db.session.create({ data: { ...rest, id, familyId: id, currentTokenHash: tokenHash } }),
      );
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
