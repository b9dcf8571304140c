import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemListStatement } from '../../src/modules/items/item-repository.js';
import { countDueStatement, tablePurges } from '../../src/modules/retention/retention-repository.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}
const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

// The list is the hottest database read. Its page must come off the owner's index in the statement's own order
// and stop at the limit: with the index in another order (id ascending, as it once was) PostgreSQL reads every
// one of the owner's rows and sorts them, and the cost of a page grows with the owner's item count.
describe('the item list statement on a table the size of a busy one', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let owner: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    // 40 owners with 500 items each; the newest of them created within the same millisecond, as under load,
    // so the id tie-break is in play; some of the oldest deleted (the retention job's rows).
    await client.query(`
      INSERT INTO users (id, email, password_hash, full_name, updated_at)
      SELECT gen_random_uuid(), 'owner' || n || '@example.com', 'x', 'Owner ' || n, now()
      FROM generate_series(1, 40) n`);
    await client.query(`
      INSERT INTO items (id, title, owner_id, created_at, updated_at, deleted_at)
      SELECT gen_random_uuid(), 'item ' || n, u.id,
             now() - make_interval(secs => greatest(n - 50, 0)), now(),
             CASE WHEN n > 480 THEN now() END
      FROM users u, generate_series(1, 500) n`);
    // What autovacuum does after a table grows by a tenth: the planner judges by these statistics.
    await client.query('ANALYZE items');
    owner = (await client.query<{ id: string }>('SELECT id::text FROM users LIMIT 1')).rows[0]!.id;
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const plan = async (statement: { text: string; values: unknown[] }) => {
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
      statement.values,
    );
    return flatten(rows[0]!['QUERY PLAN'][0].Plan);
  };

  it.each([
    ['the first page', () => ({ limit: 20, ownerId: owner })],
    [
      'a page after a cursor',
      () => ({ limit: 20, ownerId: owner, after: { createdAt: new Date(), id: owner } }),
    ],
  ])('reads %s off the owner index in order, without a sort, and stops at the limit', async (_, query) => {
    const nodes = await plan(itemListStatement(query()));
    expect(nodes.map((node) => node['Node Type'])).not.toContainEqual(expect.stringMatching(/Sort/));
    const scan = nodes.find((node) => node['Node Type'] === 'Index Scan');
    expect(scan?.['Index Name']).toBe('items_owner_id_created_at_id_idx');
    expect(scan?.['Actual Rows']).toBe(21);
  });

  it('finds the deleted items the retention job purges through the index on deleted_at', async () => {
    const items = tablePurges.find((purge) => purge.table === 'items')!;
    const nodes = await plan({ text: countDueStatement(items), values: [0] });
    expect(nodes.some((node) => node['Index Name'] === 'items_deleted_at_idx')).toBe(true);
  });
});
