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
