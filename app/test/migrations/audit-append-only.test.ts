import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

describe('audit_logs is append-only', () => {
  let database: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO audit_logs (action, outcome, request_id) VALUES ('user.login', 'SUCCESS', 'r-1')`,
    );
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('accepts new entries', async () => {
    await client.query(`INSERT INTO audit_logs (action, outcome) VALUES ('item.create', 'FAILURE')`);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM audit_logs');
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['UPDATE', `UPDATE audit_logs SET outcome = 'FAILURE'`],
    ['DELETE', 'DELETE FROM audit_logs'],
    ['TRUNCATE', 'TRUNCATE audit_logs'],
  ])('refuses %s with a clear error and leaves the rows as they were', async (operation, statement) => {
    const before = (await client.query('SELECT * FROM audit_logs ORDER BY id')).rows;

    await expect(client.query(statement)).rejects.toMatchObject({
      message: `audit_logs is append-only: ${operation} refused`,
      code: '42501',
    });
    expect((await client.query('SELECT * FROM audit_logs ORDER BY id')).rows).toEqual(before);
  });
});
