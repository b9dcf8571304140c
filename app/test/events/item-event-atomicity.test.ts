import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { expectProblem } from '../support/problem.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A created item and its ItemCreated outbox event commit together or not at all, under concurrency too, and
 * cost one statement: the wire between the service and PostgreSQL is read to count what a POST sends.
 */
describe('item creation and its outbox event', () => {
  let database: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let wire = '';
  let app: TestApp;
  let owner: ReturnType<typeof as>;
  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(5432, (bytes) => {
      wire += bytes.toString('latin1');
    });
    const url = new URL(database.url);
    url.port = String(proxy.port);
    // The relay ticks rarely here, so the wire carries what the POSTs send.
    app = await startTestApp({ DATABASE_URL: url.toString(), OUTBOX_RELAY_INTERVAL_MS: '60000' });
    const user = await createUser(app);
    owner = as(app, (await login(app, user)).access_token);
  });
  afterAll(async () => {
    await app.close();
    await proxy.stop();
    await database.drop();
  });

  const post = (title: string) => owner('/api/v1/items', { method: 'POST', body: { title } });

  it('writes exactly one event per item when many are created at once', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => post(`concurrent ${i}`)));
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 201));
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
    const events = await app.deps.db.prisma.outboxEvent.findMany({ where: { aggregateId: { in: ids } } });
    expect(events.map((event) => event.aggregateId).sort()).toEqual([...ids].sort());
    for (const event of events) {
      expect(event.payload).toMatchObject({
        itemId: event.aggregateId,
        title: expect.stringMatching(/^concurrent /),
      });
    }
  });

  it('keeps no item when its event cannot be written', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`
        CREATE FUNCTION refuse_poisoned_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.payload->>'title' = 'poisoned' THEN RAISE EXCEPTION 'event refused'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poisoned_event BEFORE INSERT ON outbox_events
          FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_event();`);
      const [refused, accepted] = await Promise.all([post('poisoned'), post('wholesome')]);
      await expectProblem(refused, 500, 'internal');
      expect(accepted.status).toBe(201);
      expect(await app.deps.db.prisma.item.count({ where: { title: 'poisoned' } })).toBe(0);
      expect(await app.deps.db.prisma.item.count({ where: { title: 'wholesome' } })).toBe(1);
    } finally {
      await client.query('DROP TRIGGER IF EXISTS refuse_poisoned_event ON outbox_events');
      await client.end();
    }
  });

  it('costs one round trip per POST: one statement, no BEGIN and COMMIT around it', async () => {
    await post('warm-up');
    await new Promise((resolve) => setTimeout(resolve, 500)); // the relay's run after the warm-up ends
    wire = '';
    expect((await post('counted')).status).toBe(201);
    // The outbox relay, nudged after the commit, may open its own transaction afterwards: only what comes before
    // the INSERT can belong to the POST's.
    const insert = wire.search(/\bINSERT INTO\b/i);
    expect(insert).toBeGreaterThanOrEqual(0);
    expect(wire.slice(0, insert).match(/\bBEGIN\b/gi)).toBeNull();
    const relayStart = wire.slice(insert).search(/\bBEGIN\b/i);
    const sent = relayStart < 0 ? wire : wire.slice(0, insert + relayStart);
    // One Sync message ends each round trip of the extended query protocol.
    expect(sent.split('S\x00\x00\x00\x04')).toHaveLength(2);
  });
});
