import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/passwords.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { normaliseEmail, type User } from './user.js';

export interface CreatedAdmin {
  readonly user: User;
  /** Returned once so the caller can print it; the database keeps only its hash. */
  readonly password: string;
}

/**
 * Local tier, first start only: an empty database gets one admin with a random password, returned so the
 * caller can print it once. A newcomer can log in from the docs page right away; nothing is ever seeded in
 * cluster tiers.
 */
export async function seedAdmin(uow: UnitOfWork, email: string): Promise<CreatedAdmin | undefined> {
  if ((await uow.repos.users.count()) > 0) return undefined;
  return createAdmin(uow, email);
}

/**
 * Local tier with AUTH_ENABLED=false: the user requests without a token act as. It is the seeded admin, found
 * by SEED_ADMIN_EMAIL (created as seedAdmin would if that address has no account), so it is a real row that
 * audit entries and owned items can name, and every endpoint, admin ones included, answers.
 */
export async function ensureLocalUser(
  uow: UnitOfWork,
  email: string,
): Promise<{ user: User; created?: CreatedAdmin }> {
  const found = await uow.repos.users.findByEmailWithPassword(normaliseEmail(email));
  if (found) {
    const { passwordHash: _, ...user } = found;
    return { user };
  }
  const created = await createAdmin(uow, email);
  return { user: created.user, created };
}

async function createAdmin(uow: UnitOfWork, email: string): Promise<CreatedAdmin> {
  const password = randomBytes(15).toString('base64url');
  const user = await uow.repos.users.create({
    email: normaliseEmail(email),
    passwordHash: await hashPassword(password),
    fullName: 'Local Admin',
    role: 'ADMIN',
    verified: true,
  });
  return { user, password };
}
