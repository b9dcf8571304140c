import { invalidateOnly, noCache, type ReadThroughCache } from '../adapters/cache/read-through-cache.js';
import type { FieldCipher } from '../adapters/crypto/field-cipher.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { apiKeyRepository } from './api-keys/api-key-repository.js';
import { auditRepository } from './audit/audit-repository.js';
import { legalHoldRepository } from './audit/legal-hold-repository.js';
import { sessionRepository } from './auth/session-repository.js';
import { outboxRepository } from './events/outbox-repository.js';
import { itemRepository } from './items/item-repository.js';
import { notificationRepository } from './notifications/notification-repository.js';
import { retentionRepository } from './retention/retention-repository.js';
import type { AfterWrite, DbClient } from './shared/db-client.js';
import { userRepository } from './users/user-repository.js';

function repositories(db: DbClient, cipher: FieldCipher, cache: ReadThroughCache, afterWrite: AfterWrite) {
  return {
    users: userRepository(db, cipher, cache, afterWrite),
    sessions: sessionRepository(db),
    items: itemRepository(db, cache, afterWrite),
    audit: auditRepository(db),
    apiKeys: apiKeyRepository(db),
    legalHolds: legalHoldRepository(db),
    outbox: outboxRepository(db),
    notifications: notificationRepository(db),
    retention: retentionRepository(db),
  };
}

export type Repositories = ReturnType<typeof repositories>;

/**
 * How services reach the database without knowing Prisma: `repos` for single statements, `transaction` when a
 * change and its audit record must commit together or not at all.
 */
export interface UnitOfWork {
  readonly repos: Repositories;
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
}

export function unitOfWork(
  prisma: PrismaClient,
  cipher: FieldCipher,
  cache: ReadThroughCache = noCache,
): UnitOfWork {
  return {
    repos: repositories(prisma, cipher, cache, (invalidate) => invalidate()),
    async transaction(work) {
      const invalidations: (() => Promise<void>)[] = [];
      // Reads inside a transaction bypass the cache: they must see the transaction's own writes.
      const result = await prisma.$transaction((tx) =>
        work(
          repositories(
            tx,
            cipher,
            invalidateOnly(cache),
            async (invalidate) => void invalidations.push(invalidate),
          ),
        ),
      );
      await Promise.all(invalidations.map((invalidate) => invalidate()));
      return result;
    },
  };
}
