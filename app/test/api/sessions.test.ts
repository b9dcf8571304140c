import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, json, login, refresh, type TokenResponse } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('login and sessions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const auditActions = async (actorId: string) =>
    (await app.deps.db.prisma.auditLog.findMany({ where: { actorId }, orderBy: { id: 'asc' } })).map(
      (row) => `${row.action}:${row.outcome}`,
    );

  it('logs in with JSON and returns an OAuth2 token pair', async () => {
    const user = await createUser(app);
    const tokens = await login(app, user);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await as(app, tokens.access_token)('/api/v1/users/me');
    expect(await me.json()).toMatchObject({ id: user.id, email: user.email, fullName: user.fullName });
    expect(await auditActions(user.id)).toEqual(['auth.login:SUCCESS']);
  });

  it("writes a login's session and its audit entry together: the entry names the session, neither outlives the other", async () => {
    const user = await createUser(app);
    await Promise.all([login(app, user), login(app, user)]);
    const sessions = await app.deps.db.prisma.session.findMany({ where: { userId: user.id } });
    const entries = await app.deps.db.prisma.auditLog.findMany({
      where: { actorId: user.id, action: 'auth.login' },
    });
    expect(sessions).toHaveLength(2);
    expect(entries.map((entry) => entry.target).sort()).toEqual(sessions.map((session) => session.id).sort());
    for (const entry of entries) {
      expect(entry).toMatchObject({
        outcome: 'SUCCESS',
        ip: expect.any(String),
        requestId: expect.any(String),
      });
      expect(entry.hash).not.toBeNull(); // linked into the audit chain by its trigger
    }

    // The database refuses this caller's audit entry: the login fails, and no session is left behind.
    const refused = await createUser(app);
    const client = new pg.Client({ connectionString: app.database!.url });
    await client.connect();
    await client.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.actor_id = '${refused.id}' THEN RAISE EXCEPTION 'audit entry refused'; END IF;
        RETURN NEW;
      END $$`);
    await client.query(
      'CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()',
    );
    try {
      const response = await app.fetch('/api/v1/auth/token', {
        method: 'POST',
        ...json({ email: refused.email, password: refused.password }),
      });
      await expectProblem(response, 500, 'internal');
      expect(await app.deps.db.prisma.session.count({ where: { userId: refused.id } })).toBe(0);
    } finally {
      await client.query('DROP TRIGGER test_refuse_audit ON audit_logs; DROP FUNCTION test_refuse_audit()');
      await client.end();
    }
  });

  it('logs in with the OAuth2 password form', async () => {
    const user = await createUser(app);
    const response = await app.fetch('/api/v1/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: user.email,
        password: user.password,
      }).toString(),
    });
    expect(response.status).toBe(200);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const user = await createUser(app);
    const wrong = await app.fetch('/api/v1/auth/token', {
      method: 'POST',
      ...json({ email: user.email, password: 'nope nope nope' }),
    });
    const unknown = await app.fetch('/api/v1/auth/token', {
      method: 'POST',
      ...json({ email: 'ghost@example.com', password: 'nope nope nope' }),
    });
    const [a, b] = [
      await expectProblem(wrong, 401, 'unauthorized'),
      await expectProblem(unknown, 401, 'unauthorized'),
    ];
    expect(a.detail).toBe(b.detail);
    expect(await auditActions(user.id)).toEqual(['auth.login:FAILURE']);
  });

  it('rotates the refresh token: the new one works, the old one is dead', async () => {
    const user = await createUser(app);
    const first = await login(app, user);
    const rotated = (await (await refresh(app, first.refresh_token)).json()) as TokenResponse;
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect((await as(app, rotated.access_token)('/api/v1/users/me')).status).toBe(200);
    const again = (await (await refresh(app, rotated.refresh_token)).json()) as TokenResponse;
    expect(again.access_token).toBeTruthy();
  });

  it('revokes the whole session when a rotated-away refresh token is presented again', async () => {
    const user = await createUser(app);
    const stolen = await login(app, user);
    const legit = (await (await refresh(app, stolen.refresh_token)).json()) as TokenResponse;

    await expectProblem(await refresh(app, stolen.refresh_token), 401, 'unauthorized');
    await expectProblem(await refresh(app, legit.refresh_token), 401, 'unauthorized');
    await expectProblem(await as(app, legit.access_token)('/api/v1/users/me'), 401, 'unauthorized');
    expect(await auditActions(user.id)).toContain('auth.refresh_reuse:SUCCESS');
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const user = await createUser(app);
    const tokens = await login(app, user);
    const statuses = (
      await Promise.all([refresh(app, tokens.refresh_token), refresh(app, tokens.refresh_token)])
    ).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 401]);
  });

  it('refuses an unknown refresh token', async () => {
    await expectProblem(await refresh(app, 'x'.repeat(43)), 401, 'unauthorized');
  });

  it('logout ends the session at once: its access and refresh tokens stop working', async () => {
    const user = await createUser(app);
    const tokens = await login(app, user);
    expect((await as(app, tokens.access_token)('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    await expectProblem(await as(app, tokens.access_token)('/api/v1/users/me'), 401, 'unauthorized');
    await expectProblem(await refresh(app, tokens.refresh_token), 401, 'unauthorized');
    expect(await auditActions(user.id)).toContain('auth.logout:SUCCESS');
  });

  it('keeps one session per device and lists them with the current one marked', async () => {
    const user = await createUser(app);
    const laptop = await login(app, user, { 'user-agent': 'laptop-browser' });
    await login(app, user, { 'user-agent': 'phone-app' });
    const sessions = (await (await as(app, laptop.access_token)('/api/v1/auth/sessions')).json()) as {
      id: string;
      userAgent: string;
      current: boolean;
    }[];
    expect(sessions.map((session) => [session.userAgent, session.current]).sort()).toEqual([
      ['laptop-browser', true],
      ['phone-app', false],
    ]);
  });

  it("revokes one of the caller's sessions, and hides other users' sessions", async () => {
    const user = await createUser(app);
    const laptop = await login(app, user, { 'user-agent': 'laptop' });
    const phone = await login(app, user, { 'user-agent': 'phone' });
    const sessions = (await (await as(app, laptop.access_token)('/api/v1/auth/sessions')).json()) as {
      id: string;
      current: boolean;
    }[];
    const phoneSession = sessions.find((session) => !session.current)!;

    const stranger = await login(app, await createUser(app));
    await expectProblem(
      await as(app, stranger.access_token)(`/api/v1/auth/sessions/${phoneSession.id}`, { method: 'DELETE' }),
      404,
      'not-found',
    );

    expect(
      (await as(app, laptop.access_token)(`/api/v1/auth/sessions/${phoneSession.id}`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    await expectProblem(await as(app, phone.access_token)('/api/v1/users/me'), 401, 'unauthorized');
    expect((await as(app, laptop.access_token)('/api/v1/users/me')).status).toBe(200);
  });

  it('a password change ends every other session and keeps the current one', async () => {
    const user = await createUser(app);
    const here = await login(app, user);
    const elsewhere = await login(app, user);
    const change = await as(app, here.access_token)('/api/v1/users/me/password', {
      method: 'POST',
      body: { currentPassword: user.password, newPassword: 'a brand new passphrase' },
    });
    expect(change.status).toBe(204);
    await expectProblem(await as(app, elsewhere.access_token)('/api/v1/users/me'), 401, 'unauthorized');
    await expectProblem(await refresh(app, elsewhere.refresh_token), 401, 'unauthorized');
    expect((await as(app, here.access_token)('/api/v1/users/me')).status).toBe(200);
    await login(app, { email: user.email, password: 'a brand new passphrase' });
    expect(await auditActions(user.id)).toContain('user.password_changed:SUCCESS');
  });

  it('refuses a password change with a wrong current password as a field error', async () => {
    const user = await createUser(app);
    const tokens = await login(app, user);
    const response = await as(app, tokens.access_token)('/api/v1/users/me/password', {
      method: 'POST',
      body: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
    });
    const body = await expectProblem(response, 422, 'validation-failed');
    expect(body.errors).toEqual([{ field: 'currentPassword', message: 'is not correct' }]);
  });
});
