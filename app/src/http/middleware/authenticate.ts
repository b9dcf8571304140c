import type { Middleware } from 'koa';
import jwt from 'koa-jwt';
import { type KeyRing, signingAlgorithms } from '../../modules/auth/key-ring.js';
import type { RevokedSessions } from '../../modules/auth/revoked-sessions.js';

/**
 * Verifies a bearer access token with koa-jwt and puts its claims in `ctx.state.user`. The key is chosen by
 * the token's `kid` from the key ring, so rotated keys keep verifying; only our algorithms are accepted (no
 * `none`, no HMAC confusion). Requests without a valid token pass through anonymous: each route decides
 * whether it needs a caller (401) or an admin (403).
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
  // Without a token koa-jwt still builds (and discards) an error with a stack trace: skip it for anonymous calls.
  return function authenticate(ctx, next) {
    return ctx.headers.authorization ? verify(ctx, next) : next();
  };
}
