import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditChainCheck } from '../../../infra/src/dr/verify-restore.js';
import { placeLegalHold, releaseLegalHold } from '../../src/modules/audit/legal-hold-service.js';
import { purgedTables } from '../../src/modules/retention/retention-repository.js';
import {
  createRuntimeUser,
  periods,
  type RetentionDatabase,
  retentionDatabase,
  seedEveryTable,
} from './retention-database.js';

const tables = purgedTables;

describe('data retention (real PostgreSQL, as the runtime role)', () => {
  let runtime: Awaited<ReturnType<typeof createRuntimeUser>>;
  let db: RetentionDatabase | undefined;
  beforeAll(async () => {
    runtime = await createRuntimeUser();
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  afterAll(() => runtime.drop());

  const open = async (env: Record<string, string> = {}) => {
    db = await retentionDatabase(runtime.name, env);
    return db;
  };
  const rowsOf = async (d: RetentionDatabase) => {
    const rows: Record<string, number> = {};
    for (const table of tables) rows[table] = await d.count(table);
    return rows;
  };
  const chain = async (d: RetentionDatabase) => auditChainCheck(d.owner);

  it('removes every kind of row a day past its period and keeps those a day short of it', async () => {
    const d = await open();
    await seedEveryTable(d, 'past', 1);
    await seedEveryTable(d, 'within', -1);
    // Never purged, however old: an event not yet published, an item not deleted, a live session's retired token.
    await d.owner.query(
      `INSERT INTO outbox_events (type, aggregate_id, payload, created_at) VALUES ('ItemCreated', 'unsent', '{}', now() - interval '400 days')`,
    );
    await d.owner.query(
      `INSERT INTO items (id, title, owner_id, created_at, updated_at) VALUES (gen_random_uuid(), 'live', $1, now() - interval '400 days', now())`,
      [d.ownerId],
    );
    const before = await rowsOf(d);

    const purged: Record<string, number> = {};
    const report = await d.run(false, (table, rows) => {
      purged[table] = (purged[table] ?? 0) + rows;
    });

    const expected: Record<string, number> = {
      items: 1,
      notifications: 1,
      outbox_events: 1,
      processed_events: 1,
      retired_refresh_tokens: 2,
      sessions: 2,
      audit_logs: 1,
    };
    expect(
      Object.fromEntries(Object.entries(report.tables).map(([table, entry]) => [table, entry.rows])),
    ).toEqual(expected);
    expect(purged).toEqual(expected);
    const after = await rowsOf(d);
    for (const table of tables)
      expect(after[table], table).toBe((before[table] ?? 0) - (expected[table] ?? 0));
    expect(await d.count('items', `title = 'past'`)).toBe(0);
    expect(await d.count('items', `title IN ('within', 'live')`)).toBe(2);
    expect(await d.count('outbox_events', `aggregate_id = 'unsent'`)).toBe(1);
    expect(await d.count('audit_logs', `target = 'within'`)).toBe(1);
    expect((await chain(d)).ok).toBe(true);
  });

  it('a dry run reports what a real run then removes, and deletes nothing', async () => {
    const d = await open();
    for (let i = 0; i < 3; i++) await seedEveryTable(d, `past-${i}`, 1 + i);
    const before = await rowsOf(d);
    const dry = await d.run(true);
    expect(await rowsOf(d)).toEqual(before);
    const real = await d.run(false);
    expect(dry.dryRun).toBe(true);
    expect(dry.tables).toEqual(real.tables);
    expect(real.tables.audit_logs?.rows).toBe(3);
  });

  it('keeps audit entries under a legal hold (by user, by time range) until the hold is released', async () => {
    const d = await open();
    const subject = crypto.randomUUID();
    await d.audit(periods.audit + 10, { actorId: subject }); // held: the user acted
    await d.audit(periods.audit + 10, { target: subject }); // held: the user was acted on
    await d.audit(periods.audit + 50); // held by the range below
    await d.audit(periods.audit + 100); // not held
    const { uow } = d.app.deps;
    const byUser = await placeLegalHold(uow, { userId: subject }, 'matter 42', 'counsel');
    const day = 86_400_000;
    await placeLegalHold(
      uow,
      {
        from: new Date(Date.now() - (periods.audit + 60) * day),
        until: new Date(Date.now() - (periods.audit + 40) * day),
      },
      'matter 43',
      'counsel',
    );

    const first = await d.run();
    expect(first.tables.audit_logs).toMatchObject({ rows: 1, held: 3 });
    expect(await d.count('audit_logs', `created_at < now() - interval '365 days'`)).toBe(3);
    expect((await chain(d)).ok).toBe(true);

    await releaseLegalHold(uow, BigInt(byUser.id), 'counsel');
    const second = await d.run();
    expect(second.tables.audit_logs).toMatchObject({ rows: 2, held: 1 });
    expect(await d.count('audit_logs', `created_at < now() - interval '365 days'`)).toBe(1);
    // The holds themselves left a trace.
    expect(await d.count('audit_logs', `action LIKE 'audit.legal_hold_%'`)).toBe(3);
    expect((await chain(d)).ok).toBe(true);
  });

  it('the chain verifies after a purge, including when the purge removed its newest entry', async () => {
    const d = await open();
    for (let i = 0; i < 5; i++) await d.audit(periods.audit + 5 - i);
    await d.run();
    expect(await d.count('audit_logs')).toBe(0);
    expect(await chain(d)).toMatchObject({
      ok: true,
      detail: '0 entries, each linked and unaltered; 5 removed by retention, checkpointed',
    });
    // The next entry links to the checkpoint: sequence 6, its prev_hash the removed head's hash.
    await d.audit(0);
    const { rows } = await d.owner.query(
      `SELECT a.chain_seq::int AS seq, a.prev_hash = c.last_hash AS linked
         FROM audit_logs a, (SELECT last_hash FROM audit_log_checkpoints ORDER BY last_seq DESC LIMIT 1) c`,
    );
    expect(rows).toEqual([{ seq: 6, linked: true }]);
    expect((await chain(d)).ok).toBe(true);
  });

  it('the runtime role reaches the audit log only through the guarded purge', async () => {
    const d = await open();
    const prisma = d.app.deps.db.prisma;
    await expect(prisma.$queryRawUnsafe(`SELECT audit_logs_purge(interval '1 hour', 10)`)).rejects.toThrow(
      /at least one day/,
    );
    await expect(prisma.$queryRawUnsafe(`SELECT audit_logs_purge_before(now(), 10)`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(prisma.$executeRawUnsafe('DELETE FROM audit_log_checkpoints')).rejects.toThrow(
      /permission denied/,
    );
    await expect(prisma.$executeRawUnsafe('DELETE FROM audit_legal_holds')).rejects.toThrow(
      /permission denied/,
    );
    // Setting the purge's variable by hand gives no DELETE to a role that has none.
    await d.audit(periods.audit + 1);
    await expect(
      prisma.$transaction([
        prisma.$executeRawUnsafe(`SELECT set_config('audit_logs.purge_cutoff', 'infinity', true)`),
        prisma.$executeRawUnsafe('DELETE FROM audit_logs'),
      ]),
    ).rejects.toThrow(/permission denied/);
  });

  it('concurrent runs split the work: every due row removed once, neither run fails, the chain verifies', async () => {
    const d = await open({ RETENTION_BATCH_SIZE: '25' });
    const rows = 400;
    await d.owner.query(
      `INSERT INTO notifications (id, user_id, kind, subject_id, created_at)
       SELECT gen_random_uuid(), $1, 'ItemCreated', 'bulk', now() - interval '100 days' FROM generate_series(1, $2)`,
      [d.ownerId, rows],
    );
    for (let i = 0; i < 120; i++) await d.audit(periods.audit + 1 + (i % 7));
    const reports = await Promise.all([d.run(), d.run(), d.run()]);
    const total = (table: string) =>
      reports.reduce((sum, report) => sum + (report.tables[table]?.rows ?? 0), 0);
    expect(total('notifications')).toBe(rows);
    expect(total('audit_logs')).toBe(120);
    expect(await d.count('notifications')).toBe(0);
    expect(await d.count('audit_logs')).toBe(0);
    expect(await chain(d)).toMatchObject({ ok: true });
  });
});
