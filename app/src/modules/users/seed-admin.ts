import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/passwords.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { normaliseEmail } from './user.js';

/**
 * Local tier, first start only: an empty database gets one admin with a random password, returned so the
 * caller can print it once. A newcomer can log in from the docs page right away; nothing is ever seeded in
 * cluster tiers.
 */
export async function seedAdmin(
  uow: UnitOfWork,
  email: string,
): Promise<{ email: string; password: string } | undefined> {
  if ((await uow.repos.users.count()) > 0) return undefined;
  const password = randomBytes(15).toString('base64url');
  await uow.repos.users.create({
    email: normaliseEmail(email),
    passwordHash: await hashPassword(password),
    fullName: 'Local Admin',
    role: 'ADMIN',
    verified: true,
  });
  return { email: normaliseEmail(email), password };
}
