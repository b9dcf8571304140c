import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, pgMigrationTarget } from '../../src/adapters/db/migrations/index.js';
import { as, createUser, login } from '../support/api.js';
import { issueKey, withKey } from '../support/api-keys.js';
import { asSuperuser, createTestDatabase, type TestDatabase, testServerUrl } from '../support/databases.js';
import { startTestApp } from '../support/test-app.js';

/** What the migrations grant the service's runtime role; the login users that run the service are its members. */
const runtimeRole = 'platform_api_runtime';

// The migrations run as the owner (DATABASE_DIRECT_URL); the service runs as a member of the runtime role
// (DATABASE_URL). Tested here by connecting as such a member, as the service does in a cluster.
describe('the runtime database role', () => {
  let database: TestDatabase;
  let runtimeUrl: string;
  let client: pg.Client;
  const user = `runtime_${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
  beforeAll(async () => {
    database = await createTestDatabase();
    await asSuperuser(`CREATE ROLE ${user} LOGIN PASSWORD 'runtime-test' IN ROLE ${runtimeRole}`);
    const url = new URL(database.url);
    url.username = user;
    url.password = 'runtime-test';
    runtimeUrl = url.toString();
    client = new pg.Client({ connectionString: runtimeUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
    await asSuperuser(`DROP ROLE IF EXISTS ${user}`);
  });

  it('may insert and read audit entries', async () => {
    await client.query(`INSERT INTO audit_logs (action, outcome) VALUES ('user.registered', 'SUCCESS')`);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM audit_logs');
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['UPDATE', `UPDATE audit_logs SET outcome = 'FAILURE'`],
    ['DELETE', 'DELETE FROM audit_logs'],
    ['TRUNCATE', 'TRUNCATE audit_logs'],
    ['disable the trigger', 'ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only_rows'],
    ['drop the trigger', 'DROP TRIGGER audit_logs_append_only_rows ON audit_logs'],
    [
      'replace the trigger function',
      `CREATE OR REPLACE FUNCTION audit_logs_refuse_change() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
    ],
    ['rename the table', 'ALTER TABLE audit_logs RENAME TO audit_logs_old'],
    ['drop the table', 'DROP TABLE audit_logs'],
    ['create a table', 'CREATE TABLE audit_logs_shadow (id int)'],
  ])('may not %s', async (_name, statement) => {
    await expect(client.query(statement)).rejects.toMatchObject({ code: expect.stringMatching(/^42/) });
    const { rows } = await client.query(
      `SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_logs_append_only_rows'`,
    );
    expect(rows).toEqual([{ tgenabled: 'O' }]);
  });

  it('may not grant itself more (PostgreSQL only warns: the privilege stays missing)', async () => {
    await client.query(`GRANT UPDATE, DELETE, TRUNCATE ON audit_logs TO ${user}`).catch(() => undefined);
    const { rows } = await client.query(
      `SELECT has_table_privilege('audit_logs', 'UPDATE') OR has_table_privilege('audit_logs', 'DELETE')
         OR has_table_privilege('audit_logs', 'TRUNCATE') AS more`,
    );
    expect(rows).toEqual([{ more: false }]);
  });

  it('owns nothing', async () => {
    const { rows } = await client.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')`,
    );
    expect(rows).toEqual([]);
  });

  // CloudNativePG creates the owner as `CREATE ROLE app LOGIN` (cloudnative-pg@v1.30.0
  // pkg/management/postgres/initdb.go, ConfigureNewInstance): no CREATEROLE, no superuser. The migration
  // job runs as that owner, and PostgreSQL refuses CREATE ROLE to it even when the role already exists.
  it('migrations succeed when run by a database owner without CREATEROLE, as in the cluster', async () => {
    const suffix = crypto.randomUUID().replaceAll('-', '').slice(0, 10);
    const owner = `owner_${suffix}`;
    const name = `test_owner_${suffix}`;
    await asSuperuser(`CREATE ROLE ${owner} LOGIN PASSWORD 'owner-test'`);
    await asSuperuser(`CREATE DATABASE ${name} OWNER ${owner}`);
    const url = new URL(testServerUrl);
    url.username = owner;
    url.password = 'owner-test';
    url.pathname = `/${name}`;
    const target = pgMigrationTarget(url.toString());
    try {
      await expect(applyMigrations(target)).resolves.toContain('20261204120000_runtime_role');
      await target.close();
      const check = new pg.Client({ connectionString: url.toString() });
      await check.connect();
      try {
        const { rows } = await check.query(
          `SELECT has_table_privilege($1, 'audit_logs', 'INSERT') AS insert,
                  has_table_privilege($1, 'audit_logs', 'UPDATE') AS update`,
          [runtimeRole],
        );
        expect(rows).toEqual([{ insert: true, update: false }]);
      } finally {
        await check.end();
      }
    } finally {
      await target.close().catch(() => undefined);
      await asSuperuser(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await asSuperuser(`DROP ROLE IF EXISTS ${owner}`);
    }
  });

  it('runs the service: register, log in, items, audit, API keys, all as the runtime role', async () => {
    const app = await startTestApp({ DATABASE_URL: runtimeUrl });
    try {
      const admin = await createUser(app, { role: 'ADMIN' });
      const caller = as(app, (await login(app, admin)).access_token);
      const created = await caller('/api/v1/items', { method: 'POST', body: { title: 'as runtime' } });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect((await caller(`/api/v1/items/${id}`, { method: 'PATCH', body: { title: 'x' } })).status).toBe(
        200,
      );
      expect((await caller(`/api/v1/items/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await caller('/api/v1/audit')).status).toBe(200);
      const key = await issueKey(caller, ['items:read']);
      expect((await withKey(app, key.key)('/api/v1/items')).status).toBe(200); // records its last use
      expect((await caller(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await caller('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    } finally {
      await app.close();
    }
  });
});
