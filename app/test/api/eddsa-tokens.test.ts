import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, testSigningKeys } from '../support/test-app.js';

/** A key set whose active key is Ed25519 (EdDSA), with the ES256 test key beside it for verification only. */
async function eddsaKeySet() {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'ed-key-1', alg: 'EdDSA' };
  return { jwk, keys: [jwk, ...testSigningKeys.keys] };
}

describe('EdDSA signing keys', () => {
  it('tokens signed with an Ed25519 key are accepted end to end, ES256 ones beside them too', async () => {
    const { jwk, keys } = await eddsaKeySet();
    const app = await startTestApp({ JWT_SIGNING_KEYS: JSON.stringify(keys), JWT_ACTIVE_KID: 'ed-key-1' });
    try {
      const user = await createUser(app);
      const tokens = await login(app, user);
      const header = JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString());
      expect(header).toMatchObject({ alg: 'EdDSA', kid: 'ed-key-1' });
      expect((await as(app, tokens.access_token)('/api/v1/users/me')).status).toBe(200);
      const jwks = (await (await app.fetch('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
      expect(jwks.keys.find((key) => key.kid === 'ed-key-1')).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });

      // A token under the Ed25519 kid but claiming ES256 (or HS256 keyed with the public key) is refused.
      const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
      const es256 = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'ed-key-1' })
        .sign(await importJWK(testSigningKeys.keys[0]!, 'ES256'));
      await expectProblem(await as(app, es256)('/api/v1/users/me'), 401, 'unauthorized');
      const tampered = await new SignJWT({ ...claims, role: 'ADMIN' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'ed-key-1' })
        .sign(await importJWK((await eddsaKeySet()).jwk, 'EdDSA'));
      await expectProblem(await as(app, tampered)('/api/v1/users/me'), 401, 'unauthorized');
      expect(jwk.kid).toBe('ed-key-1');
    } finally {
      await app.close();
    }
  });
});
