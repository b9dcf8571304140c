import { createHmac } from 'node:crypto';
import { importJWK, type JWK, SignJWT } from 'jose';
import { generateSigningKeySet } from '../../src/modules/auth/dev-keys.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

interface SignOptions {
  readonly key: JWK;
  readonly kid: string;
  readonly claims: Record<string, unknown>;
  readonly issuer?: string;
  readonly audience?: string;
  readonly expires?: number | string;
  readonly notBefore?: number | string;
}

async function sign(options: SignOptions): Promise<string> {
  const jwt = new SignJWT(options.claims)
    .setProtectedHeader({ alg: 'ES256', kid: options.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? 'platform-api')
    .setAudience(options.audience ?? 'platform-api')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m');
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(await importJWK(options.key, 'ES256'));
}

/**
 * Authorization header values, from valid to forged. Only `user` and `admin` carry a token the service issued;
 * the signed variants with odd claims stand for a leaked key or a buggy issuer: they must fail closed (401),
 * never reach a query with a value of the wrong shape.
 */
export async function tokenVariants(input: {
  readonly userToken: string;
  readonly adminToken: string;
  readonly signingKey: JWK & { kid?: string };
  readonly publicJwk: JWK;
}): Promise<Record<string, string | undefined>> {
  const { userToken, adminToken, signingKey } = input;
  const kid = String(signingKey.kid);
  const user = claimsOf(userToken);
  const admin = claimsOf(adminToken);
  const base = { sub: user.sub, role: user.role, sid: user.sid };
  const stranger = (await generateSigningKeySet('stranger')).keys[0]!;
  const [header, , signature] = userToken.split('.');
  const hmacHeader = b64({ alg: 'HS256', typ: 'JWT', kid });
  const hmacPayload = b64({ ...admin, role: 'ADMIN' });
  const hmac = createHmac('sha256', JSON.stringify(input.publicJwk))
    .update(`${hmacHeader}.${hmacPayload}`)
    .digest('base64url');
  const now = Math.floor(Date.now() / 1000);
  return {
    none: undefined,
    user: `Bearer ${userToken}`,
    admin: `Bearer ${adminToken}`,
    'alg none': `Bearer ${b64({ alg: 'none', typ: 'JWT', kid })}.${b64({ ...admin, role: 'ADMIN' })}.`,
    'HS256 with the public key': `Bearer ${hmacHeader}.${hmacPayload}.${hmac}`,
    tampered: `Bearer ${header}.${b64({ ...user, role: 'ADMIN' })}.${signature}`,
    expired: `Bearer ${await sign({ key: signingKey, kid, claims: base, expires: now - 60 })}`,
    'not yet valid': `Bearer ${await sign({ key: signingKey, kid, claims: base, notBefore: now + 3600 })}`,
    'unknown kid': `Bearer ${await sign({ key: stranger, kid: 'stranger', claims: base })}`,
    'wrong key, known kid': `Bearer ${await sign({ key: stranger, kid, claims: base })}`,
    'wrong audience': `Bearer ${await sign({ key: signingKey, kid, claims: base, audience: 'other-api' })}`,
    'wrong issuer': `Bearer ${await sign({ key: signingKey, kid, claims: base, issuer: 'evil' })}`,
    'swapped sub and sid': `Bearer ${await sign({ key: signingKey, kid, claims: { ...base, sub: user.sid, sid: user.sub } })}`,
    'claims of the wrong type': `Bearer ${await sign({
      key: signingKey,
      kid,
      claims: { sub: 12_345, role: ['ADMIN'], sid: { $ne: null } },
    })}`,
    'sub not a uuid': `Bearer ${await sign({
      key: signingKey,
      kid,
      claims: { sub: "' OR 1=1 --", role: 'ADMIN', sid: "'; DROP TABLE sessions; --" },
    })}`,
    'unknown role': `Bearer ${await sign({ key: signingKey, kid, claims: { ...base, role: 'ROOT' } })}`,
    'no sid': `Bearer ${await sign({ key: signingKey, kid, claims: { sub: base.sub, role: 'ADMIN' } })}`,
    garbage: 'Bearer x.y.z',
    'not base64': 'Bearer !!!.@@@.###',
    huge: `Bearer ${'a'.repeat(12_000)}`,
    basic: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    'scheme only': 'Bearer',
    'two tokens': `Bearer ${userToken} ${adminToken}`,
  };
}
