import { createHmac } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeySet } from '../../src/modules/auth/dev-keys.js';
import { as, createUser, login } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp, testSigningKeys } from '../support/test-app.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  let app: TestApp;
  let claims: { sub: string; role: string; sid: string };
  let valid: string;
  beforeAll(async () => {
    app = await startTestApp();
    valid = (await login(app, await createUser(app))).access_token;
    claims = JSON.parse(Buffer.from(valid.split('.')[1]!, 'base64url').toString()) as typeof claims;
  });
  afterAll(() => app.close());

  const me = (token: string) => as(app, token)('/api/v1/users/me');
  const signWith = async (
    jwk: (typeof testSigningKeys.keys)[number],
    kid: string,
    expiresIn: string | number,
  ) =>
    new SignJWT({ role: claims.role, sid: claims.sid })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(claims.sub)
      .setIssuer('platform-api')
      .setAudience('platform-api')
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(await importJWK(jwk, 'ES256'));

  it('accepts a valid token with the expected header and claims', async () => {
    const [header] = valid.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
      alg: 'ES256',
      kid: 'test-key-1',
      typ: 'JWT',
    });
    expect(claims).toMatchObject({
      role: 'USER',
      iss: 'platform-api',
      aud: 'platform-api',
      exp: expect.any(Number),
      iat: expect.any(Number),
    });
    expect((await me(valid)).status).toBe(200);
  });

  it('refuses an expired token', async () => {
    const expired = await signWith(
      testSigningKeys.keys[0]!,
      'test-key-1',
      Math.floor(Date.now() / 1000) - 60,
    );
    await expectProblem(await me(expired), 401, 'unauthorized');
  });

  it('stops accepting a token the moment it expires, even after it was verified before', async () => {
    const shortLived = await signWith(
      testSigningKeys.keys[0]!,
      'test-key-1',
      Math.floor(Date.now() / 1000) + 2,
    );
    expect((await me(shortLived)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expectProblem(await me(shortLived), 401, 'unauthorized');
  });

  it('refuses a tampered token (payload changed, signature kept)', async () => {
    const [header, , signature] = valid.split('.');
    const forged = `${header}.${b64({ ...claims, role: 'ADMIN' })}.${signature}`;
    await expectProblem(await me(forged), 401, 'unauthorized');
  });

  it('refuses a token whose kid is unknown, even if well signed', async () => {
    const stranger = await generateSigningKeySet('someone-else');
    await expectProblem(
      await me(await signWith(stranger.keys[0]!, 'someone-else', '5m')),
      401,
      'unauthorized',
    );
    await expectProblem(await me(await signWith(stranger.keys[0]!, 'test-key-1', '5m')), 401, 'unauthorized');
  });

  it('refuses alg none and HMAC tokens made with public key material', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT', kid: 'test-key-1' })}.${b64(claims)}.`;
    await expectProblem(await me(none), 401, 'unauthorized');
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'test-key-1' });
    const body = b64(claims);
    const publicJwk = JSON.stringify(app.deps.keys.jwks().keys[0]);
    const mac = createHmac('sha256', publicJwk).update(`${header}.${body}`).digest('base64url');
    await expectProblem(await me(`${header}.${body}.${mac}`), 401, 'unauthorized');
  });

  it('refuses a token for another audience or issuer', async () => {
    const jwk = await importJWK(testSigningKeys.keys[0]!, 'ES256');
    const other = await new SignJWT({ role: claims.role, sid: claims.sid })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key-1' })
      .setSubject(claims.sub)
      .setIssuer('platform-api')
      .setAudience('another-service')
      .setExpirationTime('5m')
      .sign(jwk);
    await expectProblem(await me(other), 401, 'unauthorized');
  });

  it('serves the public keys as a JWKS without private parts', async () => {
    const jwks = (await (await app.fetch('/.well-known/jwks.json')).json()) as {
      keys: Record<string, string>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kid: 'test-key-1',
      alg: 'ES256',
      use: 'sig',
      kty: 'EC',
      crv: 'P-256',
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('signing key rotation without restart', () => {
  it('signs with the new kid while tokens of the old kid keep working until they expire', async () => {
    const app = await startTestApp();
    try {
      const user = await createUser(app);
      const before = (await login(app, user)).access_token;
      const next = await generateSigningKeySet('test-key-2');
      app.deps.keys.replace({ activeKid: 'test-key-2', keys: [...testSigningKeys.keys, ...next.keys] });

      const after = (await login(app, user)).access_token;
      const kidOf = (token: string) =>
        JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
      expect(kidOf(after)).toBe('test-key-2');
      expect((await as(app, before)('/api/v1/users/me')).status).toBe(200);
      expect((await as(app, after)('/api/v1/users/me')).status).toBe(200);
      const kids = (
        (await (await app.fetch('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] }
      ).keys.map((k) => k.kid);
      expect(kids.sort()).toEqual(['test-key-1', 'test-key-2']);

      app.deps.keys.replace(next); // the old key retired after its tokens expired
      await expectProblem(await as(app, before)('/api/v1/users/me'), 401, 'unauthorized');
    } finally {
      await app.close();
    }
  });
});
