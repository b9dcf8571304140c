import { Conflict, Forbidden, Invalid, NotFound } from '../../shared/errors.js';
import { auditEvent } from '../audit/audit-event.js';
import type { RevokedSessions } from '../auth/revoked-sessions.js';
import { type Principal, type RequestMeta, sessionOf } from '../shared/request-meta.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ApiKey } from './api-key.js';
import type { ApiKeyScope } from './api-key-scopes.js';
import { hashSecret, newKey } from './api-key-secret.js';

export interface ApiKeyDeps {
  readonly uow: UnitOfWork;
  /** Revoked key ids, shared by every replica (the session revocation list's mechanism, a list of its own). */
  readonly revokedKeys: RevokedSessions;
  readonly maxTtlDays: number;
}

export interface NewKeyRequest {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly expiresAt: string;
}

const dayMs = 86_400_000;

/** Keys are managed from a session only (never with a key), by their owner or an admin. */
function managerOf(caller: Principal, ownerId: string) {
  const manager = sessionOf(caller);
  if (manager.userId !== ownerId && manager.role !== 'ADMIN') {
    throw new Forbidden("Only admins may manage another user's API keys.");
  }
  return manager;
}

function expiryOf(requested: string, maxTtlDays: number, now: Date): Date {
  const expiresAt = new Date(requested);
  if (expiresAt <= now || expiresAt.getTime() > now.getTime() + maxTtlDays * dayMs) {
    throw new Invalid('The expiry is out of range.', [
      { field: 'expiresAt', message: `must be in the future and at most ${maxTtlDays} days away` },
    ]);
  }
  return expiresAt;
}

/** Issues a key for `ownerId`; the secret is in the answer and nowhere else, ever. */
export async function issueKey(
  deps: ApiKeyDeps,
  caller: Principal,
  ownerId: string,
  input: NewKeyRequest,
  meta: RequestMeta,
): Promise<ApiKey & { key: string }> {
  const manager = managerOf(caller, ownerId);
  const expiresAt = expiryOf(input.expiresAt, deps.maxTtlDays, new Date());
  const owner = await deps.uow.repos.users.findById(ownerId);
  if (!owner) throw new NotFound('No user with this id.');
  if (!owner.active) throw new Conflict('This user is deactivated: their keys would not work.');
  const id = crypto.randomUUID();
  const { secret, key } = newKey(id);
  const created = await deps.uow.transaction(async (repos) => {
    const row = await repos.apiKeys.create({
      id,
      userId: ownerId,
      name: input.name,
      secretHash: hashSecret(id, secret),
      scopes: input.scopes,
      createdBy: manager.userId,
      expiresAt,
    });
    await repos.audit.record(
      auditEvent(meta, {
        actorId: manager.userId,
        action: 'api_key.created',
        target: id,
        metadata: { owner: ownerId, scopes: input.scopes.join(' '), expiresAt: expiresAt.toISOString() },
      }),
    );
    return row;
  });
  return { ...created, key };
}

export async function listKeys(deps: ApiKeyDeps, caller: Principal, ownerId: string): Promise<ApiKey[]> {
  managerOf(caller, ownerId);
  return deps.uow.repos.apiKeys.listForUser(ownerId);
}

/**
 * Revokes in the database (with its audit record), then on the shared list every replica asks on each use: a
 * replica that remembers the key (see key-authenticator.ts) refuses it from the next request on.
 * Revoking a revoked key changes nothing and succeeds.
 */
export async function revokeKey(deps: ApiKeyDeps, caller: Principal, id: string, meta: RequestMeta) {
  const key = await deps.uow.repos.apiKeys.findById(id);
  // Someone else's key is answered as missing: whether an id exists is not the caller's business.
  if (!key || (key.userId !== caller.userId && caller.role !== 'ADMIN'))
    throw new NotFound('No such API key.');
  const manager = managerOf(caller, key.userId);
  await deps.uow.transaction(async (repos) => {
    if (!(await repos.apiKeys.revoke(id, new Date()))) return;
    await repos.audit.record(
      auditEvent(meta, {
        actorId: manager.userId,
        action: 'api_key.revoked',
        target: id,
        metadata: { owner: key.userId },
      }),
    );
  });
  await deps.revokedKeys.add([id]);
}
