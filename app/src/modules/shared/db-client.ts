import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

/** A repository works the same on the client and inside a transaction. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/** Prisma's code for a unique constraint violation. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === 'P2002';

/**
 * What a repository does after a write so cached copies die: at once outside a transaction, after commit
 * inside one (invalidating before commit would let a concurrent read cache the old row again).
 */
export type AfterWrite = (invalidation: () => Promise<void>) => Promise<void>;
