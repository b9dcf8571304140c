import { SignJWT } from 'jose';
import type { Principal } from '../shared/request-meta.js';
import type { KeyRing } from './key-ring.js';

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
}

/** Claims an access token carries: who (`sub`), what they may do (`role`), and which session (`sid`). */
export interface AccessClaims {
  readonly sub: string;
  readonly role: Principal['role'];
  readonly sid: string;
}

export async function issueAccessToken(keys: KeyRing, settings: TokenSettings, claims: AccessClaims) {
  const { kid, alg, privateKey } = keys.signing;
  const token = await new SignJWT({ role: claims.role, sid: claims.sid })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(`${settings.accessTokenTtlSeconds}s`)
    .sign(privateKey);
  return { token, expiresIn: settings.accessTokenTtlSeconds };
}
