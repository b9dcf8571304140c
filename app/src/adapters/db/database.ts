import type { PrismaClient } from '../../generated/prisma/client.js';

/** The service's view of its database: the Prisma client plus what readiness and shutdown need. */
export interface Database {
  readonly prisma: PrismaClient;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
