import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/app.js';
import { keyScopeOf } from '../../src/http/api/api-route.js';
import { apiKeyScopes } from '../../src/modules/api-keys/api-key-scopes.js';
import { as, bearer, createUser, login } from '../support/api.js';
import { inDays, inMs, issueKey, keyAudit, withKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('API keys', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ API_KEY_MAX_TTL_DAYS: '30' });
  });
  afterAll(() => app.close());

  const session = async (role: 'USER' | 'ADMIN' = 'USER') => {
    const user = await createUser(app, { role });
    return { user, caller: as(app, (await login(app, user)).access_token) };
  };

  it('offers exactly the scopes the routes need', () => {
    const needed = apiRoutes(app.cfg, { ...app.deps, isAcceptingTraffic: () => true }).flatMap((route) => {
      const scope = keyScopeOf(route);
      return scope ? [scope] : [];
    });
    expect([...new Set(needed)].sort()).toEqual([...apiKeyScopes].sort());
  });

  it('shows the secret once: at creation; listings never hold it, and the row holds only its hash', async () => {
    const { user, caller } = await session();
    const created = await issueKey(caller, ['items:read']);
    expect(created.key).toMatch(/^pk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.slice(3, 35)).toBe(created.id.replaceAll('-', ''));
    expect(created).toMatchObject({ userId: user.id, scopes: ['items:read'], lastUsedAt: null });

    const listed = await caller('/api/v1/api-keys');
    expect(listed.status).toBe(200);
    const text = await listed.text();
    // The secret is all that follows the id: base64url may itself hold '_', so not split('_')[2].
    const secret = created.key.slice(36);
    expect(secret).toHaveLength(43);
    expect(text).not.toContain(secret);
    const [entry] = JSON.parse(text) as Record<string, unknown>[];
    expect(entry).toMatchObject({ id: created.id, name: 'test key', scopes: ['items:read'] });
    expect(Object.keys(entry!).sort()).toEqual(
      [
        'createdAt',
        'createdBy',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'revokedAt',
        'scopes',
        'userId',
      ].sort(),
    );

    const row = await app.deps.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(Buffer.from(row.secretHash).length).toBe(32);
    expect(Buffer.from(row.secretHash).toString('base64url')).not.toBe(secret);
    expect(
      JSON.stringify(row, (_, value) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain(secret);
    expect(await keyAudit(app, created.id)).toEqual(['api_key.created:SUCCESS']);
  });

  it('authenticates with the key, as its owner, within its scopes', async () => {
    const { user, caller } = await session();
    const { key } = await issueKey(caller, ['items:read', 'items:write', 'users:read']);
    const call = withKey(app, key);
    const created = await call('/api/v1/items', { method: 'POST', body: { title: 'by key' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ ownerId: user.id, title: 'by key' });
    expect((await call('/api/v1/items')).status).toBe(200);
    expect(await (await call('/api/v1/users/me')).json()).toMatchObject({ id: user.id });
  });

  it('refuses what the key has no scope for with a 403 problem, audited', async () => {
    const { caller } = await session();
    const { id, key } = await issueKey(caller, ['items:read']);
    const call = withKey(app, key);
    expect((await call('/api/v1/items')).status).toBe(200);
    const body = await expectProblem(
      await call('/api/v1/items', { method: 'POST', body: { title: 'x' } }),
      403,
      'forbidden',
    );
    expect(body.detail).toContain('items:write');
    await expectProblem(await call('/api/v1/users/me'), 403, 'forbidden');
    expect(await keyAudit(app, id)).toEqual([
      'api_key.created:SUCCESS',
      'api_key.denied:FAILURE:scope',
      'api_key.denied:FAILURE:scope',
    ]);
  });

  it('never manages credentials: no keys, sessions or passwords with a key, whatever its scopes', async () => {
    const { caller } = await session();
    const { id, key } = await issueKey(caller, [...apiKeyScopes]);
    const call = withKey(app, key);
    const attempts = [
      call('/api/v1/api-keys', {
        method: 'POST',
        body: { name: 'x', scopes: ['items:read'], expiresAt: inDays(1) },
      }),
      call('/api/v1/api-keys'),
      call(`/api/v1/api-keys/${id}`, { method: 'DELETE' }),
      call('/api/v1/auth/sessions'),
      call('/api/v1/auth/logout', { method: 'POST' }),
      call('/api/v1/users/me/password', {
        method: 'POST',
        body: { currentPassword: 'a', newPassword: 'a much longer new password' },
      }),
    ];
    for (const response of await Promise.all(attempts)) await expectProblem(response, 403, 'forbidden');
    expect(await app.deps.db.prisma.apiKey.count({ where: { userId: await keyOwner(id) } })).toBe(1);
  });

  const keyOwner = async (id: string) =>
    (await app.deps.db.prisma.apiKey.findUniqueOrThrow({ where: { id } })).userId;

  it('answers an expired key with 401, audited', async () => {
    const { caller } = await session();
    const { id, key } = await issueKey(caller, ['items:read'], { expiresAt: inMs(1500) });
    expect((await withKey(app, key)('/api/v1/items')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await expectProblem(await withKey(app, key)('/api/v1/items'), 401, 'unauthorized');
    expect(await keyAudit(app, id)).toEqual(['api_key.created:SUCCESS', 'api_key.denied:FAILURE:expired']);
  });

  it('requires an expiry, in the future and within API_KEY_MAX_TTL_DAYS', async () => {
    const { caller } = await session();
    const attempt = (expiresAt?: string) =>
      caller('/api/v1/api-keys', { method: 'POST', body: { name: 'k', scopes: ['items:read'], expiresAt } });
    await expectProblem(await attempt(undefined), 422, 'validation-failed');
    await expectProblem(await attempt(inMs(-1000)), 422, 'validation-failed');
    await expectProblem(await attempt(inDays(31)), 422, 'validation-failed');
    expect((await attempt(inDays(29))).status).toBe(201);
  });

  it('answers a wrong secret for a real key with 401, audited; malformed or unknown keys 401, never 500', async () => {
    const { caller } = await session();
    const { id, key } = await issueKey(caller, ['items:read']);
    const wrongSecret = `${key.slice(0, 36)}${'A'.repeat(43)}`;
    await expectProblem(await withKey(app, wrongSecret)('/api/v1/items'), 401, 'unauthorized');
    expect(await keyAudit(app, id)).toEqual([
      'api_key.created:SUCCESS',
      'api_key.denied:FAILURE:wrong-secret',
    ]);

    const malformed = [
      'nonsense',
      'pk_',
      `pk_${'0'.repeat(32)}_short`,
      `pk_${'0'.repeat(32)}_${'A'.repeat(43)}`, // well-formed, no such key
      `pk_${'G'.repeat(32)}_${'A'.repeat(43)}`,
      `${key}x`,
      `pk_${id}_${'A'.repeat(43)}`, // dashes in the id
      `pk_00000000000000000000000000000000_${'\u00e9'.repeat(43)}`,
      'x'.repeat(4000),
    ];
    for (const value of malformed) {
      const response = await withKey(app, value)('/api/v1/items');
      await expectProblem(response, 401, 'unauthorized');
    }
    // Neither a probe nor a public route lets a bad key through as anonymous.
    await expectProblem(
      await withKey(app, 'nonsense')('/api/v1/users', { method: 'POST', body: {} }),
      401,
      'unauthorized',
    );
  });

  it('answers a request carrying both an access token and a key with a 400 problem', async () => {
    const user = await createUser(app);
    const { access_token } = await login(app, user);
    const { key } = await issueKey(as(app, access_token), ['items:read']);
    const response = await app.fetch('/api/v1/items', {
      headers: { ...bearer(access_token), 'x-api-key': key },
    });
    await expectProblem(response, 400, 'bad-request');
    // Either one alone works.
    expect((await app.fetch('/api/v1/items', { headers: bearer(access_token) })).status).toBe(200);
    expect((await withKey(app, key)('/api/v1/items')).status).toBe(200);
  });

  it('records the last use at most once a minute', async () => {
    const { caller } = await session();
    const { id, key } = await issueKey(caller, ['items:read']);
    const lastUsed = async () =>
      (await app.deps.db.prisma.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const before = Date.now();
    expect((await withKey(app, key)('/api/v1/items')).status).toBe(200);
    const first = await lastUsed();
    expect(first?.getTime()).toBeGreaterThanOrEqual(before - 5);
    const listed = (await (await caller('/api/v1/api-keys')).json()) as { lastUsedAt: string }[];
    expect(listed[0]?.lastUsedAt).toBe(first?.toISOString());
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 5; i += 1) expect((await withKey(app, key)('/api/v1/items')).status).toBe(200);
    expect(await lastUsed()).toEqual(first);
  });

  it("acts with its owner's current role: a demoted admin's key loses admin rights at once, audited", async () => {
    const { user: owner, caller: ownerSession } = await session('ADMIN');
    const { caller: otherAdmin } = await session('ADMIN');
    const { id, key } = await issueKey(ownerSession, ['users:read', 'audit:read']);
    const call = withKey(app, key);
    expect((await call('/api/v1/users')).status).toBe(200);
    expect((await call('/api/v1/audit')).status).toBe(200);

    const demoted = await otherAdmin(`/api/v1/users/${owner.id}`, {
      method: 'PATCH',
      body: { role: 'USER' },
    });
    expect(demoted.status).toBe(200);
    await expectProblem(await call('/api/v1/users'), 403, 'forbidden');
    await expectProblem(await call('/api/v1/audit'), 403, 'forbidden');
    expect((await call('/api/v1/users/me')).status).toBe(200); // what a user may do, it still may
    expect((await keyAudit(app, id)).slice(-2)).toEqual([
      'api_key.denied:FAILURE:role',
      'api_key.denied:FAILURE:role',
    ]);

    await otherAdmin(`/api/v1/users/${owner.id}`, { method: 'PATCH', body: { active: false } });
    await expectProblem(await call('/api/v1/users/me'), 401, 'unauthorized');
    expect((await keyAudit(app, id)).at(-1)).toBe('api_key.denied:FAILURE:owner-inactive');
  });

  it("an admin issues and revokes a user's keys; a user neither, for anyone else", async () => {
    const { user, caller } = await session();
    const { user: stranger, caller: strangerSession } = await session();
    const { user: admin, caller: adminSession } = await session('ADMIN');
    const issued = await issueKey(adminSession, ['items:read', 'users:read'], { forUser: user.id });
    expect(issued).toMatchObject({ userId: user.id, createdBy: admin.id });
    expect(
      (await withKey(app, issued.key)('/api/v1/users/me').then((r) => r.json())) as unknown,
    ).toMatchObject({
      id: user.id,
    });
    const adminList = (await (await adminSession(`/api/v1/users/${user.id}/api-keys`)).json()) as {
      id: string;
    }[];
    expect(adminList.map((key) => key.id)).toEqual([issued.id]);

    await expectProblem(
      await strangerSession(`/api/v1/users/${user.id}/api-keys`, {
        method: 'POST',
        body: { name: 'x', scopes: ['items:read'], expiresAt: inDays(1) },
      }),
      403,
      'forbidden',
    );
    await expectProblem(
      await strangerSession(`/api/v1/api-keys/${issued.id}`, { method: 'DELETE' }),
      404,
      'not-found',
    );
    expect((await withKey(app, issued.key)('/api/v1/items')).status).toBe(200);

    const own = await issueKey(caller, ['items:read']);
    expect((await caller(`/api/v1/api-keys/${own.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await adminSession(`/api/v1/api-keys/${issued.id}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await withKey(app, issued.key)('/api/v1/items'), 401, 'unauthorized');
    await expectProblem(await withKey(app, own.key)('/api/v1/items'), 401, 'unauthorized');
    expect(await keyAudit(app, issued.id)).toEqual([
      'api_key.created:SUCCESS',
      'api_key.revoked:SUCCESS',
      'api_key.denied:FAILURE:revoked',
    ]);
    const revokedBy = await app.deps.db.prisma.auditLog.findFirstOrThrow({
      where: { target: issued.id, action: 'api_key.revoked' },
    });
    expect(revokedBy.actorId).toBe(admin.id);
    expect(stranger.id).not.toBe(user.id);
  });
});
