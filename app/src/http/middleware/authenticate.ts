import { type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Middleware } from 'koa';
import { LRUCache } from 'lru-cache';
import { type KeyRing, signingAlgorithms } from '../../modules/auth/key-ring.js';
import { type LocalUser, localUserClaims } from '../../modules/auth/local-user.js';
import type { RevokedSessions } from '../../modules/auth/revoked-sessions.js';

interface Verified {
  readonly claims: JWTPayload & { sid?: unknown };
  readonly keyRingVersion: number;
}

// RFC 6750 section 2.1: `Bearer` (any case), one space, the token.
const bearer = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Verifies a bearer access token with jose and puts its claims in `ctx.state.user`. The key is chosen by the
 * token's `kid` from the key ring, so rotated keys keep verifying, and the token must name exactly that key's
 * algorithm (ES256 or EdDSA; never `none`, never HMAC keyed with public material). jose verifies Ed25519
 * keys; koa-jwt (jsonwebtoken) could not, and refused every EdDSA token. Requests without a valid token pass
 * through anonymous: each route decides whether it needs a caller (401) or an admin (403).
 *
 * A client sends the same token for its whole lifetime, and an ES256 verification was the largest CPU cost of
 * an authenticated request. So a token that verified is remembered (by its exact bytes) until it expires or
 * the key ring changes; its session is still checked against the revocation list on every request.
 *
 * With `localUser` (AUTH_ENABLED=false, local tier only) a request with no Authorization header acts as that
 * user (one with an X-API-Key never reaches this layer). A request that sends one is judged by it as always:
 * a real token wins, and a bad one still gets the 401 a client's refresh logic must be developed against.
 */
export function authenticate(
  keys: KeyRing,
  settings: { issuer: string; audience: string },
  revoked: RevokedSessions,
  localUser?: LocalUser,
): Middleware {
  const local = localUser ? localUserClaims(localUser) : undefined;
  const keyFor: JWTVerifyGetKey = (header) => {
    const key = keys.verifier(header.kid);
    if (!key || header.alg !== key.alg) throw new Error('no key for this kid and alg');
    return key.publicKey;
  };
  const options = {
    algorithms: [...signingAlgorithms],
    issuer: settings.issuer,
    audience: settings.audience,
    requiredClaims: ['exp'],
  };
  const verified = new LRUCache<string, Verified>({ max: 10_000 });
  const stillValid = (entry: Verified | undefined): entry is Verified =>
    entry !== undefined &&
    entry.keyRingVersion === keys.version &&
    typeof entry.claims.exp === 'number' &&
    entry.claims.exp * 1000 > Date.now();
  const verify = async (token: string): Promise<Verified | undefined> => {
    const known = verified.get(token);
    if (stillValid(known)) return known;
    const keyRingVersion = keys.version;
    try {
      const { payload } = await jwtVerify(token, keyFor, options);
      const entry = { claims: payload, keyRingVersion };
      verified.set(token, entry);
      return entry;
    } catch {
      return undefined; // bad signature, expired, wrong issuer or audience: anonymous
    }
  };

  return async function authenticate(ctx, next) {
    if (local && ctx.headers.authorization === undefined) {
      ctx.state.user = local;
      return next();
    }
    const token = bearer.exec(ctx.headers.authorization ?? '')?.[1];
    const entry = token ? await verify(token) : undefined;
    if (entry && !(await revoked.has(String(entry.claims.sid)))) ctx.state.user = entry.claims;
    return next();
  };
}
