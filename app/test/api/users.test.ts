import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, json, login, refresh } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('users', () => {
  let app: TestApp;
  let admin: ReturnType<typeof as>;
  let adminId: string;
  beforeAll(async () => {
    app = await startTestApp();
    const adminUser = await createUser(app, { role: 'ADMIN' });
    adminId = adminUser.id;
    admin = as(app, (await login(app, adminUser)).access_token);
  });
  afterAll(() => app.close());

  const register = (body: unknown) => app.fetch('/api/v1/users', { method: 'POST', ...json(body) });

  it('registers with a normalised email and logs in with any spelling of it', async () => {
    const email = `New.Person.${Date.now()}@Example.COM`;
    const response = await register({
      email: `  ${email}`,
      password: 'twelve chars!',
      fullName: 'New Person',
    });
    const body = (await response.json()) as { email: string; role: string };
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ email: email.toLowerCase(), role: 'USER' });
    await login(app, { email: email.toUpperCase(), password: 'twelve chars!' });
    expect(
      await app.deps.db.prisma.auditLog.count({
        where: { action: 'user.registered', target: (body as unknown as { id: string }).id },
      }),
    ).toBe(1);
  });

  it('answers 409 for an email already registered, whatever its case', async () => {
    const email = `dup.${Date.now()}@example.com`;
    expect((await register({ email, password: 'twelve chars!', fullName: 'A' })).status).toBe(201);
    await expectProblem(
      await register({ email: email.toUpperCase(), password: 'twelve chars!', fullName: 'B' }),
      409,
      'conflict',
    );
  });

  it('answers 422 with a field error for each kind of bad registration', async () => {
    const cases: [unknown, string][] = [
      [{ password: 'twelve chars!', fullName: 'x' }, 'email'],
      [{ email: 'not-an-email', password: 'twelve chars!', fullName: 'x' }, 'email'],
      [{ email: 'a@example.com', password: 'short', fullName: 'x' }, 'password'],
      [{ email: 'a@example.com', password: 'x'.repeat(129), fullName: 'x' }, 'password'],
      [{ email: 'a@example.com', password: 'twelve chars!', fullName: '' }, 'fullName'],
      [{ email: 'a@example.com', password: 'twelve chars!', fullName: 'x', role: 'ADMIN' }, ''],
    ];
    for (const [body, field] of cases) {
      const problem = await expectProblem(await register(body), 422, 'validation-failed');
      expect(problem.errors, JSON.stringify(body)).toContainEqual(expect.objectContaining({ field }));
    }
  });

  it('refuses a password from the common-password list, at registration and at password change', async () => {
    for (const password of ['1qaz2wsx3edc', 'QWERTY123456', 'leavemealone']) {
      const problem = await expectProblem(
        await register({ email: `common.${crypto.randomUUID()}@example.com`, password, fullName: 'C' }),
        422,
        'validation-failed',
      );
      expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'password' }));
    }
    const user = await createUser(app);
    const me = as(app, (await login(app, user)).access_token);
    const change = await me('/api/v1/users/me/password', {
      method: 'POST',
      body: { currentPassword: user.password, newPassword: '123qweasdzxc' },
    });
    const problem = await expectProblem(change, 422, 'validation-failed');
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'newPassword' }));
  });

  it('refuses registration when it is turned off', async () => {
    const closed = await startTestApp({ REGISTRATION_ENABLED: 'false' });
    try {
      const response = await closed.fetch('/api/v1/users', {
        method: 'POST',
        ...json({ email: 'x@example.com', password: 'twelve chars!', fullName: 'x' }),
      });
      await expectProblem(response, 403, 'forbidden');
    } finally {
      await closed.close();
    }
  });

  it('reads and updates the caller, with the full name encrypted at rest', async () => {
    const user = await createUser(app);
    const me = as(app, (await login(app, user)).access_token);
    const updated = await me('/api/v1/users/me', { method: 'PATCH', body: { fullName: 'Renamed Person' } });
    expect(await updated.json()).toMatchObject({ id: user.id, fullName: 'Renamed Person' });
    const [row] = await app.deps.db.prisma.$queryRaw<
      { full_name: string }[]
    >`SELECT full_name FROM users WHERE id = ${user.id}::uuid`;
    expect(row?.full_name).not.toContain('Renamed');
  });

  it('lets an admin page through users', async () => {
    for (let i = 0; i < 3; i += 1) await createUser(app);
    const first = (await (await admin('/api/v1/users?limit=2')).json()) as {
      items: { id: string }[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(2);
    const second = (await (await admin(`/api/v1/users?limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: { id: string }[];
    };
    expect(second.items.map((u) => u.id)).not.toContain(first.items[0]!.id);
  });

  it("lets an admin change a role, which ends the user's sessions and is audited", async () => {
    const user = await createUser(app);
    const tokens = await login(app, user);
    const response = await admin(`/api/v1/users/${user.id}`, { method: 'PATCH', body: { role: 'ADMIN' } });
    expect(await response.json()).toMatchObject({ role: 'ADMIN' });
    await expectProblem(await as(app, tokens.access_token)('/api/v1/users/me'), 401, 'unauthorized');
    const audit = await app.deps.db.prisma.auditLog.findFirst({
      where: { action: 'user.role_changed', target: user.id },
    });
    expect(audit).toMatchObject({ actorId: adminId, outcome: 'SUCCESS' });
  });

  it('deactivation ends sessions, blocks login and keeps the row', async () => {
    const user = await createUser(app);
    const tokens = await login(app, user);
    expect((await admin(`/api/v1/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await as(app, tokens.access_token)('/api/v1/users/me'), 401, 'unauthorized');
    await expectProblem(await refresh(app, tokens.refresh_token), 401, 'unauthorized');
    const relogin = await app.fetch('/api/v1/auth/token', {
      method: 'POST',
      ...json({ email: user.email, password: user.password }),
    });
    await expectProblem(relogin, 401, 'unauthorized');
    expect(await (await admin(`/api/v1/users/${user.id}`)).json()).toMatchObject({ active: false });
    expect(
      await app.deps.db.prisma.auditLog.count({ where: { action: 'user.deactivated', target: user.id } }),
    ).toBe(1);
  });

  it('stops an admin from locking themselves out', async () => {
    await expectProblem(await admin(`/api/v1/users/${adminId}`, { method: 'DELETE' }), 409, 'conflict');
  });
});
