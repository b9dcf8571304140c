import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redocPath } from '../../src/http/routes/docs.js';
import { localSessionId } from '../../src/modules/auth/local-user.js';
import { bearer, createUser, json, login } from '../support/api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const adminEmail = 'local.admin@example.com';

// AUTH_ENABLED=false on a developer's machine: what a request without a token can do, who it acts as, and
// what still needs (or honours) a token. The local tier on the real PostgreSQL and the real pipeline.
describe('the local tier with authentication off', () => {
  let app: TestApp;
  let withAuth: TestApp;
  beforeAll(async () => {
    const local = {
      APP_ENV: 'local',
      DATABASE_KIND: 'postgres',
      SEED_ADMIN_EMAIL: adminEmail,
      LOG_FORMAT: 'json',
    };
    app = await startTestApp({ ...local, AUTH_ENABLED: 'false' });
    withAuth = await startTestApp(local);
  });
  afterAll(async () => {
    await app?.close();
    await withAuth?.close();
  });

  const localUser = async () => {
    const me = await app.fetch('/api/v1/users/me');
    expect(me.status).toBe(200);
    return (await me.json()) as { id: string; email: string; role: string };
  };

  it('says so at start, at warn, naming the user requests act as', () => {
    const line = app.logs.lines.find((entry) => entry.actingAs === adminEmail);
    expect(line).toMatchObject({ level: 40, role: 'ADMIN' });
    expect(String(line?.msg)).toContain(`requests without a token act as ${adminEmail} (ADMIN)`);
  });

  it('serves protected and admin routes without a token, as the seeded admin, a real user row', async () => {
    expect(await localUser()).toMatchObject({ email: adminEmail, role: 'ADMIN' });
    expect((await app.fetch('/api/v1/users')).status).toBe(200);
    expect((await withAuth.fetch('/api/v1/users/me')).status).toBe(401);
  });

  it('records the local user as the actor of what it does', async () => {
    const { id } = await localUser();
    const created = await app.fetch('/api/v1/items', {
      method: 'POST',
      ...json({ title: 'made without a token' }),
    });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: string; ownerId: string };
    expect(item.ownerId).toBe(id);
    expect((await app.fetch(`/api/v1/items/${item.id}`, { method: 'DELETE' })).status).toBe(204);
    const audit = (await (await app.fetch(`/api/v1/audit?actorId=${id}`)).json()) as {
      items: { action: string; target: string | null; actorId: string }[];
    };
    expect(audit.items).toContainEqual(
      expect.objectContaining({ action: 'item.deleted', target: item.id, actorId: id }),
    );
  });

  it('lets a real token or API key win, and answers a bad one with 401 instead of the local user', async () => {
    const user = await createUser(app);
    const token = (await login(app, user)).access_token;
    const me = await app.fetch('/api/v1/users/me', { headers: bearer(token) });
    expect(await me.json()).toMatchObject({ email: user.email, role: 'USER' });
    expect((await app.fetch('/api/v1/users', { headers: bearer(token) })).status).toBe(403);
    const issued = await app.fetch('/api/v1/api-keys', {
      method: 'POST',
      ...json(
        { name: 'ci', scopes: ['users:read'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
        bearer(token),
      ),
    });
    expect(issued.status).toBe(201);
    const { key } = (await issued.json()) as { key: string };
    const viaKey = await app.fetch('/api/v1/users/me', { headers: { 'x-api-key': key } });
    expect(await viaKey.json()).toMatchObject({ email: user.email, role: 'USER' });
    expect((await app.fetch('/api/v1/users/me', { headers: bearer(`${token}x`) })).status).toBe(401);
    expect((await app.fetch('/api/v1/users/me', { headers: { authorization: '' } })).status).toBe(401);
  });

  it('gives the local user no session of its own to end', async () => {
    const sessions = await app.fetch('/api/v1/auth/sessions');
    expect(sessions.status).toBe(200);
    expect(await sessions.json()).toEqual([]);
    expect((await app.fetch('/api/v1/auth/logout', { method: 'POST' })).status).toBeLessThan(300);
    expect((await app.fetch(`/api/v1/auth/sessions/${localSessionId}`, { method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('puts a banner naming that user above both docs pages, and none when authentication is on', async () => {
    for (const path of ['/docs/', redocPath]) {
      const page = await (await app.fetch(path)).text();
      expect(page).toContain('id="auth-off-banner"');
      expect(page).toContain(
        `Authentication is off (AUTH_ENABLED=false): requests without a token act as ${adminEmail} (ADMIN).`,
      );
      expect(await (await withAuth.fetch(path)).text()).not.toContain('auth-off-banner');
    }
  });
});
