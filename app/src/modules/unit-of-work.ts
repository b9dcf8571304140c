import type { FieldCipher } from '../adapters/crypto/field-cipher.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { auditRepository } from './audit/audit-repository.js';
import { sessionRepository } from './auth/session-repository.js';
import { itemRepository } from './items/item-repository.js';
import type { DbClient } from './shared/db-client.js';
import { userRepository } from './users/user-repository.js';

function repositories(db: DbClient, cipher: FieldCipher) {
  return {
    users: userRepository(db, cipher),
    sessions: sessionRepository(db),
    items: itemRepository(db),
    audit: auditRepository(db),
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

export function unitOfWork(prisma: PrismaClient, cipher: FieldCipher): UnitOfWork {
  return {
    repos: repositories(prisma, cipher),
    transaction: (work) => prisma.$transaction((tx) => work(repositories(tx, cipher))),
  };
}
