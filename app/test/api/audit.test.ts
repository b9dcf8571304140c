import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, json, login } from '../support/api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface AuditPage {
  items: { id: string; action: string; outcome: string; actorId: string | null; requestId: string | null }[];
  nextCursor: string | null;
}

describe('audit trail', () => {
  let app: TestApp;
  let admin: ReturnType<typeof as>;
  beforeAll(async () => {
    app = await startTestApp();
    admin = as(app, (await login(app, await createUser(app, { role: 'ADMIN' }))).access_token);
  });
  afterAll(() => app.close());

  it('records each sensitive action with its request id, and pages through them with filters', async () => {
    const user = await createUser(app);
    await app.fetch('/api/v1/auth/token', {
      method: 'POST',
      ...json({ email: user.email, password: 'wrong password!' }, { 'x-request-id': 'audit-failed-login-1' }),
    });
    const me = as(app, (await login(app, user)).access_token);
    const item = (await (
      await me('/api/v1/items', { method: 'POST', body: { title: 'to delete' } })
    ).json()) as { id: string };
    await me(`/api/v1/items/${item.id}`, { method: 'DELETE' });
    await me('/api/v1/users/me/password', {
      method: 'POST',
      body: { currentPassword: user.password, newPassword: 'another long passphrase' },
    });
    await me('/api/v1/auth/logout', { method: 'POST' });

    const page = (await (await admin(`/api/v1/audit?actorId=${user.id}`)).json()) as AuditPage;
    expect(page.items.map((record) => `${record.action}:${record.outcome}`)).toEqual([
      'auth.logout:SUCCESS',
      'user.password_changed:SUCCESS',
      'item.deleted:SUCCESS',
      'auth.login:SUCCESS',
      'auth.login:FAILURE',
    ]);
    expect(page.items.at(-1)?.requestId).toBe('audit-failed-login-1');

    const failures = (await (
      await admin(`/api/v1/audit?actorId=${user.id}&outcome=FAILURE`)
    ).json()) as AuditPage;
    expect(failures.items).toHaveLength(1);
    const firstTwo = (await (await admin(`/api/v1/audit?actorId=${user.id}&limit=2`)).json()) as AuditPage;
    const rest = (await (
      await admin(`/api/v1/audit?actorId=${user.id}&cursor=${firstTwo.nextCursor}`)
    ).json()) as AuditPage;
    expect([...firstTwo.items, ...rest.items].map((record) => record.id)).toEqual(
      page.items.map((record) => record.id),
    );
  });

  it('answers 422 for cursors and date filters no database row can have, never 500', async () => {
    const impossible = [
      'cursor=9999999999999999999',
      'cursor=9223372036854775808',
      'cursor=%0E',
      'cursor=12a',
      'from=0000-01-01T00:00:00Z',
      'to=0000-01-01T00:00:00Z',
      'from=0000-01-01T00:00:00%2B14:00',
      'to=10000-01-01T00:00:00Z',
    ];
    for (const query of impossible) {
      const response = await admin(`/api/v1/audit?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await admin('/api/v1/audit?cursor=9223372036854775807&from=0001-01-01T00:00:00Z')).status).toBe(
      200,
    );
  });

  it('is append-only in the database itself: UPDATE and DELETE are refused', async () => {
    await createUser(app).then((user) => login(app, user));
    const client = new pg.Client({ connectionString: app.database!.url });
    await client.connect();
    try {
      await expect(client.query(`UPDATE audit_logs SET outcome = 'FAILURE'`)).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit_logs')).rejects.toThrow(/append-only/);
      const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM audit_logs');
      expect(Number(rows[0]?.count)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('links every entry into one hash chain, however many are written at once', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => createUser(app)));
    // Concurrent audited actions from many requests: failed and successful logins side by side.
    await Promise.all(
      users.flatMap((user) => [
        login(app, user),
        app.fetch('/api/v1/auth/token', {
          method: 'POST',
          ...json({ email: user.email, password: 'wrong password!' }),
        }),
      ]),
    );
    const client = new pg.Client({ connectionString: app.database!.url });
    await client.connect();
    try {
      const chain = async () =>
        (
          await client.query<{ entries: number; broken: number }>(
            `SELECT count(*)::int AS entries,
                    count(*) FILTER (WHERE chain_seq IS DISTINCT FROM position
                      OR prev_hash IS DISTINCT FROM previous
                      OR hash IS DISTINCT FROM audit_logs_entry_hash(prev_hash, entry))::int AS broken
               FROM (SELECT a AS entry, a.chain_seq, a.prev_hash, a.hash, row_number() OVER w AS position,
                            lag(a.hash) OVER w AS previous
                       FROM audit_logs a WINDOW w AS (ORDER BY a.chain_seq)) chain`,
          )
        ).rows[0]!;
      const linked = await chain();
      expect(linked.entries).toBeGreaterThanOrEqual(users.length * 2);
      expect(linked.broken).toBe(0);
      // The check sees a rewrite made behind the append-only guard.
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only_rows');
      await client.query(`UPDATE audit_logs SET outcome = 'SUCCESS' WHERE outcome = 'FAILURE'`);
      expect((await chain()).broken).toBeGreaterThan(0);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
