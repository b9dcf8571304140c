import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

/** A repository works the same on the client and inside a transaction. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/** Prisma's code for a unique constraint violation. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === 'P2002';
