import type { Middleware } from 'koa';
import jwt from 'koa-jwt';
import { LRUCache } from 'lru-cache';
import { type KeyRing, signingAlgorithms } from '../../modules/auth/key-ring.js';
import type { RevokedSessions } from '../../modules/auth/revoked-sessions.js';

interface Verified {
  readonly claims: { sid?: unknown; exp?: unknown };
  readonly keyRingVersion: number;
}

/**
 * Verifies a bearer access token with koa-jwt and puts its claims in `ctx.state.user`. The key is chosen by
 * the token's `kid` from the key ring, so rotated keys keep verifying; only our algorithms are accepted (no
 * `none`, no HMAC confusion). Requests without a valid token pass through anonymous: each route decides
 * whether it needs a caller (401) or an admin (403).
 *
 * A client sends the same token for its whole lifetime, and an ES256 verification was the largest CPU cost of
 * an authenticated request. So a token that verified is remembered (by its exact bytes) until it expires or
 * the key ring changes; its session is still checked against the revocation list on every request.
 */
export function authenticate(
  keys: KeyRing,
  settings: { issuer: string; audience: string },
  revoked: RevokedSessions,
): Middleware {
  const verify = jwt({
    secret: async (header: { kid?: unknown }) => {
      const key = keys.verificationKey(header.kid);
      if (!key) throw new Error('unknown kid');
      return key as never;
    },
    algorithms: [...signingAlgorithms],
    issuer: settings.issuer,
    audience: settings.audience,
    passthrough: true,
    isRevoked: async (_ctx, claims) => revoked.has(String((claims as { sid?: unknown }).sid)),
  }) as Middleware;
  const verified = new LRUCache<string, Verified>({ max: 10_000 });
  const stillValid = (entry: Verified | undefined): entry is Verified =>
    entry !== undefined &&
    entry.keyRingVersion === keys.version &&
    typeof entry.claims.exp === 'number' &&
    entry.claims.exp * 1000 > Date.now();

  return async function authenticate(ctx, next) {
    const authorization = ctx.headers.authorization;
    // Without a token koa-jwt still builds (and discards) an error with a stack trace: skip it for anonymous calls.
    if (!authorization) return next();
    const known = verified.get(authorization);
    if (stillValid(known)) {
      if (!(await revoked.has(String(known.claims.sid)))) ctx.state.user = known.claims;
      return next();
    }
    return verify(ctx, () => {
      const claims = ctx.state.user as Verified['claims'] | undefined;
      if (claims) verified.set(authorization, { claims, keyRingVersion: keys.version });
      return next();
    });
  };
}
