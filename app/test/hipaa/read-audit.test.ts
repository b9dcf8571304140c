import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, json, login } from '../support/api.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { hipaaEnv } from './hipaa-env.js';

interface Entry {
  actorId: string | null;
  target: string | null;
  requestId: string | null;
  metadata: { route: string; fields: string; subjects: string; count: number };
}

/** HIPAA mode: every response that shows a user's email or full name leaves one audit entry first. */
describe('HIPAA mode: reads of personal fields are audited', () => {
  let fake: VaultFake;
  let app: TestApp;
  let adminId: string;
  let admin: ReturnType<typeof as>;

  beforeAll(async () => {
    fake = await startVaultFake();
    app = await startTestApp(hipaaEnv(fake));
    const adminUser = await createUser(app, { role: 'ADMIN' });
    adminId = adminUser.id;
    admin = as(app, (await login(app, adminUser)).access_token);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  const entriesOf = async (response: Response) =>
    (
      await app.deps.db.prisma.auditLog.findMany({
        where: { action: 'phi.read', requestId: response.headers.get('x-request-id') },
      })
    ).map((row) => ({ ...row, metadata: row.metadata }) as unknown as Entry);

  it('audits the caller reading themselves: actor, subject, fields, route and request id', async () => {
    const user = await createUser(app);
    const response = await as(app, (await login(app, user)).access_token)('/api/v1/users/me');
    expect(response.status).toBe(200);
    expect(await entriesOf(response)).toEqual([
      expect.objectContaining({
        actorId: user.id,
        target: user.id,
        requestId: response.headers.get('x-request-id'),
        metadata: { route: 'GET /api/v1/users/me', fields: 'fullName,email', subjects: user.id, count: 1 },
      }),
    ]);
  });

  it("audits a read made with an API key as its owner's", async () => {
    const user = await createUser(app);
    const session = as(app, (await login(app, user)).access_token);
    const created = await session('/api/v1/api-keys', {
      method: 'POST',
      body: {
        name: 'export',
        scopes: ['users:read'],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    const { key } = (await created.json()) as { key: string };
    const response = await app.fetch('/api/v1/users/me', { headers: { 'x-api-key': key } });
    expect(response.status).toBe(200);
    expect(await entriesOf(response)).toEqual([
      expect.objectContaining({ actorId: user.id, target: user.id }),
    ]);
  });

  it('audits a page of users as one entry naming every subject on it', async () => {
    for (let i = 0; i < 3; i += 1) await createUser(app);
    const response = await admin('/api/v1/users?limit=100');
    const page = (await response.json()) as { items: { id: string }[] };
    expect(page.items.length).toBeGreaterThanOrEqual(4);
    const entries = await entriesOf(response);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: adminId, target: null });
    expect(entries[0]!.metadata).toEqual({
      route: 'GET /api/v1/users',
      fields: 'fullName,email',
      subjects: page.items.map((user) => user.id).join(','),
      count: page.items.length,
    });
  });

  it('audits only the fields sent, and nothing when ?fields= leaves every personal field out', async () => {
    const user = await createUser(app);
    const emailOnly = await admin(`/api/v1/users/${user.id}?fields=email`);
    expect((await entriesOf(emailOnly))[0]?.metadata).toMatchObject({
      route: 'GET /api/v1/users/{id}',
      fields: 'email',
      subjects: user.id,
    });
    const noPersonalData = await admin(`/api/v1/users/${user.id}?fields=role,active`);
    expect(noPersonalData.status).toBe(200);
    expect(await entriesOf(noPersonalData)).toEqual([]);
  });

  it('audits the answers of registration, profile change and admin change, which show the user too', async () => {
    const email = `hipaa.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const registered = await app.fetch('/api/v1/users', {
      method: 'POST',
      ...json({ email, password: 'a long enough passphrase', fullName: 'Grace Hopper' }),
    });
    expect(registered.status).toBe(201);
    const { id } = (await registered.json()) as { id: string };
    expect(await entriesOf(registered)).toEqual([
      expect.objectContaining({
        actorId: null,
        target: id,
        metadata: expect.objectContaining({ route: 'POST /api/v1/users' }),
      }),
    ]);
    const me = as(app, (await login(app, { email, password: 'a long enough passphrase' })).access_token);
    const updated = await me('/api/v1/users/me', { method: 'PATCH', body: { fullName: 'Grace B. Hopper' } });
    expect((await entriesOf(updated))[0]).toMatchObject({ actorId: id, target: id });
    const promoted = await admin(`/api/v1/users/${id}`, { method: 'PATCH', body: { role: 'ADMIN' } });
    expect((await entriesOf(promoted))[0]).toMatchObject({ actorId: adminId, target: id });
  });

  it('writes one entry per response under concurrent reads, each on the hash chain', async () => {
    const user = await createUser(app);
    const me = as(app, (await login(app, user)).access_token);
    const responses = await Promise.all(Array.from({ length: 12 }, () => me('/api/v1/users/me')));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    const entries = await app.deps.db.prisma.auditLog.findMany({
      where: { action: 'phi.read', actorId: user.id },
    });
    expect(entries).toHaveLength(12);
    expect(new Set(entries.map((entry) => entry.requestId)).size).toBe(12);
    expect(entries.every((entry) => entry.hash !== null && entry.chainSeq !== null)).toBe(true);
  });

  it('withholds the answer (503 problem) when the database refuses the audit insert, and serves it again after', async () => {
    const user = await createUser(app);
    const me = as(app, (await login(app, user)).access_token);
    const prisma = app.deps.db.prisma;
    await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_phi_read() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit insert refused'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_phi_read BEFORE INSERT ON audit_logs
      FOR EACH ROW WHEN (NEW.action = 'phi.read') EXECUTE FUNCTION refuse_phi_read()`);
    try {
      const refused = await me('/api/v1/users/me');
      const text = await refused.clone().text();
      const problem = await expectProblem(refused, 503, 'unavailable');
      expect(problem.detail).toBe(
        'The read could not be recorded in the audit log, so nothing was served; try again.',
      );
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(text).not.toContain(user.email);
      expect(text).not.toContain(user.fullName);
      const list = await admin('/api/v1/users');
      await expectProblem(list, 503, 'unavailable');
      expect(app.logs.lines).toContainEqual(
        expect.objectContaining({ msg: 'read audit failed: response withheld', operation: 'getMe' }),
      );
    } finally {
      await prisma.$executeRawUnsafe('DROP TRIGGER refuse_phi_read ON audit_logs');
      await prisma.$executeRawUnsafe('DROP FUNCTION refuse_phi_read()');
    }
    expect((await me('/api/v1/users/me')).status).toBe(200);
  });
});

describe('without HIPAA mode', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('writes no read entries', async () => {
    const user = await createUser(app);
    const response = await as(app, (await login(app, user)).access_token)('/api/v1/users/me');
    expect(response.status).toBe(200);
    expect(await app.deps.db.prisma.auditLog.count({ where: { action: 'phi.read' } })).toBe(0);
  });
});
