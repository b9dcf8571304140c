import { Conflict, Forbidden, Invalid, NotFound } from '../../shared/errors.js';
import { auditEvent } from '../audit/audit-event.js';
import { type AuthDeps, revokeSessions } from '../auth/auth-service.js';
import { boundedWork } from '../auth/bounded-work.js';
import { type BreachedPasswords, refuseBreachedPassword } from '../auth/breached-passwords.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Position } from '../shared/pagination.js';
import { type Principal, type RequestMeta, sessionOf } from '../shared/request-meta.js';
import type { Repositories } from '../unit-of-work.js';
import type { RegistrationLimit } from './registration-limit.js';
import { normaliseEmail, type Role, type User } from './user.js';

export interface UserDeps extends Pick<AuthDeps, 'uow' | 'revoked' | 'throttle'> {
  readonly registrationEnabled: boolean;
  readonly registrationLimit: RegistrationLimit;
  /** Opt-in breach lookup for new passwords (off: only the bundled common-password list applies). */
  readonly breachedPasswords?: BreachedPasswords;
}

/**
 * Registrations in progress per process: two at once (two of libuv's four argon2 threads), sixteen waiting,
 * 503 beyond. The bound covers the database work too: a flood from many addresses (each within its own
 * budget) would otherwise fill the event loop and the connection pool with registrations while logins wait.
 */
const registrations = boundedWork({ concurrency: 2, waiting: 16 });

/** Cheap checks first (open? within the client's budget?), then bounded work: email free, hash, insert. */
export async function register(
  deps: UserDeps,
  input: { email: string; password: string; fullName: string },
  meta: RequestMeta,
): Promise<User> {
  if (!deps.registrationEnabled) throw new Forbidden('Registration is closed.');
  await deps.registrationLimit.take(meta.ip);
  await refuseBreachedPassword(deps.breachedPasswords, input.password, 'password');
  const email = normaliseEmail(input.email);
  return registrations(async () => {
    if (await deps.uow.repos.users.emailTaken(email)) {
      throw new Conflict('A user with this email already exists.');
    }
    const passwordHash = await hashPassword(input.password);
    return deps.uow.transaction(async (repos) => {
      const user = await repos.users.create({ email, passwordHash, fullName: input.fullName });
      await repos.audit.record(
        auditEvent(meta, { actorId: user.id, action: 'user.registered', target: user.id }),
      );
      return user;
    });
  });
}

export async function getUser(deps: UserDeps, id: string): Promise<User> {
  const user = await deps.uow.repos.users.findById(id);
  if (!user) throw new NotFound('No user with this id.');
  return user;
}

export async function updateProfile(deps: UserDeps, principal: Principal, changes: { fullName?: string }) {
  const user = await deps.uow.repos.users.update(principal.userId, changes);
  if (!user) throw new NotFound('No user with this id.');
  return user;
}

/** A new password ends every other session: whoever knew the old one is logged out everywhere else. */
export async function changePassword(
  deps: UserDeps,
  caller: Principal,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const principal = sessionOf(caller);
  const user = await deps.uow.repos.users.findByIdWithPassword(principal.userId);
  if (!user) throw new NotFound('No user with this id.');
  // Whoever holds a stolen access token could guess the password here: the same budget as a login guess.
  await deps.throttle.begin(user.email, meta.ip);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new Invalid('The current password is not correct.', [
      { field: 'currentPassword', message: 'is not correct' },
    ]);
  }
  await deps.throttle.succeeded(user.email, meta.ip);
  await refuseBreachedPassword(deps.breachedPasswords, input.newPassword, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await revokeSessions(
    deps,
    user.id,
    (repos) => repos.sessions.revoke({ userId: user.id, exceptId: principal.sessionId }, 'password-changed'),
    { meta, action: 'user.password_changed', target: user.id },
    (repos) => repos.users.update(user.id, { passwordHash }),
  );
}

export function listUsers(
  deps: UserDeps,
  query: { limit: number; after?: Position; role?: Role; active?: boolean },
) {
  return deps.uow.repos.users.list(query);
}

/**
 * Refuses a change that would leave no active admin. Runs in the change's transaction, on locked rows: two
 * admins demoting each other at once cannot both succeed (the second waits, then sees one admin left).
 */
async function keepAnAdmin(repos: Repositories, losingAdminRights: string): Promise<void> {
  const admins = await repos.users.lockActiveAdmins();
  if (admins.length === 1 && admins[0] === losingAdminRights) {
    throw new Conflict('At least one active admin must remain; promote another admin first.');
  }
}

/**
 * Admin changes to role and active state. Either change ends the user's sessions, so a demoted or deactivated
 * user's access tokens stop working at once rather than at expiry.
 */
export async function administerUser(
  deps: UserDeps,
  principal: Principal,
  id: string,
  changes: { role?: Role; active?: boolean },
  meta: RequestMeta,
): Promise<User> {
  const before = await getUser(deps, id);
  if (id === principal.userId && (changes.role === 'USER' || changes.active === false)) {
    throw new Conflict('Admins cannot demote or deactivate themselves; ask another admin.');
  }
  const roleChanged = changes.role !== undefined && changes.role !== before.role;
  const activeChanged = changes.active !== undefined && changes.active !== before.active;
  if (!roleChanged && !activeChanged) return before;
  const action = activeChanged
    ? changes.active
      ? 'user.reactivated'
      : 'user.deactivated'
    : 'user.role_changed';
  await revokeSessions(
    deps,
    principal.userId,
    (repos) => repos.sessions.revoke({ userId: id }, action),
    { meta, action, target: id },
    async (repos) => {
      if (changes.role === 'USER' || changes.active === false) await keepAnAdmin(repos, id);
      await repos.users.update(id, changes);
      if (roleChanged && activeChanged) {
        await repos.audit.record(
          auditEvent(meta, {
            actorId: principal.userId,
            action: 'user.role_changed',
            target: id,
            metadata: { role: changes.role ?? null },
          }),
        );
      }
    },
  );
  return getUser(deps, id);
}
