export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly familyId: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
}

export const isLive = (session: Session, now = new Date()) =>
  session.revokedAt === null && session.expiresAt > now;

/** Unused (never refreshed) for longer than the idle limit; 0 is no limit. */
export const isIdle = (session: Session, idleTimeoutSeconds: number, now = new Date()) =>
  idleTimeoutSeconds > 0 && now.getTime() - session.lastUsedAt.getTime() > idleTimeoutSeconds * 1000;
