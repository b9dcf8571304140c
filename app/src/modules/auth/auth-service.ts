import type { AuthEvent, AuthOutcome } from '../../observability/metrics.js';
import { NotFound, Unauthorized } from '../../shared/errors.js';
import { type AuditAction, auditEvent } from '../audit/audit-event.js';
import { type Principal, type RequestMeta, sessionOf } from '../shared/request-meta.js';
import type { Repositories, UnitOfWork } from '../unit-of-work.js';
import { normaliseEmail, type User } from '../users/user.js';
import { issueAccessToken, type TokenSettings } from './access-tokens.js';
import type { KeyRing } from './key-ring.js';
import type { LoginThrottle } from './login-throttle.js';
import { burnVerification, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';
import type { RevokedSessions } from './revoked-sessions.js';
import { isIdle, isLive, type Session } from './session.js';

export interface AuthDeps {
  readonly uow: UnitOfWork;
  readonly keys: KeyRing;
  readonly tokens: TokenSettings & {
    readonly refreshTokenTtlSeconds: number;
    /** A session not refreshed for this long cannot be refreshed again (automatic logoff); 0 = no limit. */
    readonly sessionIdleTimeoutSeconds: number;
  };
  readonly throttle: LoginThrottle;
  readonly revoked: RevokedSessions;
  /** Counts each outcome (`auth_events_total`): failed logins and refresh-token reuse are what on-call watches. */
  readonly recordEvent?: (event: AuthEvent, outcome: AuthOutcome) => void;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

const badCredentials = () => new Unauthorized('Invalid email or password.');

/** Password login: one new session (device) per success; every outcome audited; attempts throttled. */
export async function login(
  deps: AuthDeps,
  credentials: { email: string; password: string },
  meta: RequestMeta,
) {
  const email = normaliseEmail(credentials.email);
  await deps.throttle.begin(email, meta.ip);
  const user = await deps.uow.repos.users.findByEmailWithPassword(email);
  const valid = user
    ? await verifyPassword(user.passwordHash, credentials.password)
    : await burnVerification(credentials.password);
  if (!user || !valid || !user.active) {
    await deps.uow.repos.audit.record(
      auditEvent(meta, {
        actorId: user?.id ?? null,
        action: 'auth.login',
        outcome: 'FAILURE',
        target: user?.id ?? null,
      }),
    );
    deps.recordEvent?.('login', 'failed');
    throw badCredentials();
  }
  await deps.throttle.succeeded(email, meta.ip);
  if (needsRehash(user.passwordHash)) {
    await deps.uow.repos.users.update(user.id, { passwordHash: await hashPassword(credentials.password) });
  }
  const refreshToken = newRefreshToken();
  const session = await deps.uow.repos.sessions.createWithAudit(
    {
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      userAgent: meta.userAgent,
      ip: meta.ip,
      expiresAt: new Date(Date.now() + deps.tokens.refreshTokenTtlSeconds * 1000),
    },
    (sessionId) => auditEvent(meta, { actorId: user.id, action: 'auth.login', target: sessionId }),
  );
  deps.recordEvent?.('login', 'succeeded');
  return tokenPair(deps, user, session, refreshToken);
}

/**
 * Refresh-token rotation: the presented token dies and a new one is issued. A token that was already rotated
 * away can only be presented again by someone who copied it, so the whole session is revoked.
 */
export async function refresh(deps: AuthDeps, presented: string, meta: RequestMeta): Promise<TokenPair> {
  const presentedHash = hashRefreshToken(presented);
  const session = await deps.uow.repos.sessions.findByCurrentToken(presentedHash);
  if (!session) {
    const reused = await deps.uow.repos.sessions.findByRetiredToken(presentedHash);
    if (reused) await revokeForReuse(deps, reused, meta);
    else deps.recordEvent?.('refresh', 'failed');
    throw new Unauthorized(
      reused ? 'Refresh token reused: the session has been revoked.' : 'Unknown refresh token.',
    );
  }
  const user = await deps.uow.repos.users.findById(session.userId);
  if (!isLive(session) || isIdle(session, deps.tokens.sessionIdleTimeoutSeconds) || !user?.active) {
    deps.recordEvent?.('refresh', 'failed');
    throw new Unauthorized('The session has ended: log in again.');
  }

  const next = newRefreshToken();
  const rotated = await deps.uow.transaction((repos) =>
    repos.sessions.rotate(session.id, presentedHash, hashRefreshToken(next)),
  );
  if (!rotated) {
    // Another request rotated this token a moment ago: two holders of one token.
    await revokeForReuse(deps, session, meta);
    throw new Unauthorized('Refresh token reused: the session has been revoked.');
  }
  deps.recordEvent?.('refresh', 'succeeded');
  return tokenPair(deps, user, session, next);
}

export async function logout(deps: AuthDeps, caller: Principal, meta: RequestMeta): Promise<void> {
  const principal = sessionOf(caller);
  await revokeSessions(
    deps,
    principal.userId,
    (repos) => repos.sessions.revoke({ id: principal.sessionId }, 'logout'),
    {
      meta,
      action: 'auth.logout',
      target: principal.sessionId,
    },
  );
  deps.recordEvent?.('logout', 'succeeded');
}

export async function listSessions(deps: AuthDeps, caller: Principal) {
  const principal = sessionOf(caller);
  const sessions = await deps.uow.repos.sessions.listLive(principal.userId);
  return sessions.map((session) => ({ ...session, current: session.id === principal.sessionId }));
}

export async function revokeSession(
  deps: AuthDeps,
  principal: Principal,
  sessionId: string,
  meta: RequestMeta,
) {
  const session = await deps.uow.repos.sessions.findById(sessionId);
  if (!session || session.userId !== principal.userId || !isLive(session))
    throw new NotFound('No such session.');
  await revokeSessions(
    deps,
    principal.userId,
    (repos) => repos.sessions.revoke({ id: sessionId }, 'revoked-by-user'),
    {
      meta,
      action: 'auth.session_revoked',
      target: sessionId,
    },
  );
}

/**
 * Revokes sessions and audits it in one transaction, then tells every replica to refuse their access tokens.
 * Used by logout, session revocation, password change and deactivation alike.
 */
export async function revokeSessions(
  deps: Pick<AuthDeps, 'uow' | 'revoked'>,
  actorId: string,
  select: (repos: Repositories) => Promise<string[]>,
  event: { meta: RequestMeta; action: AuditAction; target: string },
  alsoInTransaction?: (repos: Repositories) => Promise<unknown>,
): Promise<string[]> {
  const revoked = await deps.uow.transaction(async (repos) => {
    await alsoInTransaction?.(repos);
    const ids = await select(repos);
    await repos.audit.record(
      auditEvent(event.meta, {
        actorId,
        action: event.action,
        target: event.target,
        metadata: { sessions: ids.length },
      }),
    );
    return ids;
  });
  await deps.revoked.add(revoked);
  return revoked;
}

async function revokeForReuse(deps: AuthDeps, session: Session, meta: RequestMeta) {
  deps.recordEvent?.('refresh', 'reused');
  await revokeSessions(
    deps,
    session.userId,
    (repos) => repos.sessions.revoke({ id: session.familyId }, 'refresh-token-reuse'),
    {
      meta,
      action: 'auth.refresh_reuse',
      target: session.familyId,
    },
  );
}

async function tokenPair(
  deps: AuthDeps,
  user: User,
  session: Session,
  refreshToken: string,
): Promise<TokenPair> {
  const access = await issueAccessToken(deps.keys, deps.tokens, {
    sub: user.id,
    role: user.role,
    sid: session.id,
  });
  return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
}
