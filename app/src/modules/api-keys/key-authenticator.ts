import { LRUCache } from 'lru-cache';
import type { Logger } from '../../observability/logger.js';
import { auditEvent } from '../audit/audit-event.js';
import type { RevokedSessions } from '../auth/revoked-sessions.js';
import type { ApiKeyPrincipal, RequestMeta } from '../shared/request-meta.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { DenialReason, StoredKey } from './api-key.js';
import { ApiKeyRefused } from './api-key-errors.js';
import type { ApiKeyScope } from './api-key-scopes.js';
import { parseKey, secretMatches } from './api-key-secret.js';
import { lastUsedRecorder } from './last-used.js';

export interface AuthenticatedKey {
  readonly principal: ApiKeyPrincipal;
  readonly scopes: readonly ApiKeyScope[];
}

export interface KeyAuthenticator {
  /** The caller a presented X-API-Key stands for; ApiKeyRefused (401) for anything else. */
  authenticate(presented: string, meta: RequestMeta): Promise<AuthenticatedKey>;
  /** Audits a refused use of a valid key (beyond its scopes or its owner's role). */
  denied(key: AuthenticatedKey, reason: DenialReason, meta: RequestMeta): Promise<void>;
}

/**
 * Checks a key the way access tokens are checked: what never changes after issue (owner, secret hash, scopes,
 * expiry) is remembered per replica, and on every request the key is asked about on the shared revocation list
 * (one Redis EXISTS, with the session list's outage policy, REVOCATION_ON_STORE_FAILURE). The owner is read on
 * every request through the user read cache, which every change to a user invalidates: a deactivated owner's
 * keys stop at once, and a key acts with its owner's role as it is now, so a demoted admin's key loses admin
 * rights with them. Unknown and malformed keys are not audited (there is nobody to attribute them to, and a
 * flood of junk would fill the trail); every refusal of a real key is.
 */
export function keyAuthenticator(deps: {
  uow: UnitOfWork;
  revokedKeys: RevokedSessions;
  log: Logger;
}): KeyAuthenticator {
  const known = new LRUCache<string, StoredKey>({ max: 10_000, ttl: 3_600_000 });
  const recordUse = lastUsedRecorder(() => deps.uow.repos.apiKeys, deps.log);
  const load = async (id: string) => {
    const stored = known.get(id) ?? (await deps.uow.repos.apiKeys.findForAuthentication(id));
    if (stored && !stored.revokedAt) known.set(id, stored);
    return stored;
  };
  const audit = (key: { id: string; userId: string }, reason: DenialReason, meta: RequestMeta) =>
    deps.uow.repos.audit
      .record(
        auditEvent(meta, {
          actorId: key.userId,
          action: 'api_key.denied',
          target: key.id,
          outcome: 'FAILURE',
          metadata: { reason },
        }),
      )
      .catch((error: unknown) => deps.log.warn({ err: error }, 'could not audit a refused API key'));

  return {
    async authenticate(presented, meta) {
      const parsed = parseKey(presented);
      if (!parsed) throw new ApiKeyRefused('malformed');
      const stored = await load(parsed.id);
      if (!stored) throw new ApiKeyRefused('unknown');
      const refuse = async (reason: DenialReason): Promise<never> => {
        await audit(stored, reason, meta);
        throw new ApiKeyRefused(reason);
      };
      if (!secretMatches(parsed.id, parsed.secret, stored.secretHash)) return refuse('wrong-secret');
      if (stored.revokedAt || (await deps.revokedKeys.has(stored.id))) return refuse('revoked');
      if (stored.expiresAt <= new Date()) return refuse('expired');
      const owner = await deps.uow.repos.users.findById(stored.userId);
      if (!owner?.active) return refuse('owner-inactive');
      await recordUse(stored.id);
      return {
        principal: { via: 'api-key', userId: owner.id, role: owner.role, apiKeyId: stored.id },
        scopes: stored.scopes,
      };
    },
    denied: (key, reason, meta) =>
      audit({ id: key.principal.apiKeyId, userId: key.principal.userId }, reason, meta),
  };
}
