import pg from 'pg';
import { runRetention } from '../../src/modules/retention/run-retention.js';
import { asSuperuser, createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The periods every retention test runs with (days): each table's rows are seeded a day either side of them. */
export const periods = {
  audit: 365,
  events: 30,
  sessions: 30,
  notifications: 90,
  deleted_items: 30,
} as const;
export const retentionEnv = {
  AUDIT_RETENTION_DAYS: String(periods.audit),
  EVENTS_RETENTION_DAYS: String(periods.events),
  SESSIONS_RETENTION_DAYS: String(periods.sessions),
  NOTIFICATIONS_RETENTION_DAYS: String(periods.notifications),
  ITEMS_DELETED_RETENTION_DAYS: String(periods.deleted_items),
  // Small batches, so every purge below takes several.
  RETENTION_BATCH_SIZE: '2',
};

/**
 * A database of its own with the service on it as in a cluster: the app connects as a member of the runtime role
 * (so the audit purge goes through the SECURITY DEFINER function, the only way that role has), while the test
 * seeds and inspects as the owner.
 */
export async function retentionDatabase(runtimeUser: string, env: Record<string, string> = {}) {
  const database: TestDatabase = await createTestDatabase();
  const url = new URL(database.url);
  url.username = runtimeUser;
  url.password = 'runtime-test';
  const app: TestApp = await startTestApp({ DATABASE_URL: url.toString(), ...retentionEnv, ...env });
  const owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  const ownerId = (
    await owner.query<{ id: string }>(
      `INSERT INTO users (id, email, password_hash, full_name, updated_at)
       VALUES (gen_random_uuid(), $1, 'x', 'Owner', now()) RETURNING id::text`,
      [`owner-${crypto.randomUUID()}@example.com`],
    )
  ).rows[0]!.id;
  const count = async (table: string, where = 'true') =>
    Number((await owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)).rows[0].n);
  return {
    app,
    owner,
    ownerId,
    count,
    run: (dryRun = false, onPurged?: (table: string, rows: number) => void) =>
      runRetention(app.deps.uow.repos.retention, { settings: app.cfg.retention, dryRun, onPurged }),
    /** An audit entry written `daysAgo` days ago (the chain trigger links it as it would any entry). */
    async audit(daysAgo: number, fields: { actorId?: string; target?: string } = {}) {
      await owner.query(
        `INSERT INTO audit_logs (actor_id, action, target, outcome, created_at)
         VALUES ($1, 'auth.login', $2, 'SUCCESS', now() - make_interval(days => $3))`,
        [fields.actorId ?? null, fields.target ?? null, daysAgo],
      );
    },
    async close() {
      await owner.end();
      await app.close();
      await database.drop();
    },
  };
}

export type RetentionDatabase = Awaited<ReturnType<typeof retentionDatabase>>;

export async function createRuntimeUser(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `retention_${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
  await asSuperuser(`CREATE ROLE ${name} LOGIN PASSWORD 'runtime-test' IN ROLE platform_api_runtime`);
  return { name, drop: () => asSuperuser(`DROP ROLE IF EXISTS ${name}`) };
}

/** One row of every retained table on each side of its period, `days` before now. */
export async function seedEveryTable(db: RetentionDatabase, label: string, offset: number): Promise<void> {
  const { owner, ownerId } = db;
  const ago = (days: number) => days + offset;
  await owner.query(
    `INSERT INTO items (id, title, owner_id, updated_at, deleted_at)
     VALUES (gen_random_uuid(), $1, $2, now(), now() - make_interval(days => $3))`,
    [label, ownerId, ago(periods.deleted_items)],
  );
  await owner.query(
    `INSERT INTO notifications (id, user_id, kind, subject_id, created_at)
     VALUES (gen_random_uuid(), $1, 'ItemCreated', $2, now() - make_interval(days => $3))`,
    [ownerId, label, ago(periods.notifications)],
  );
  await owner.query(
    `INSERT INTO outbox_events (type, aggregate_id, payload, created_at, published_at)
     VALUES ('ItemCreated', $1, '{}', now() - make_interval(days => $2), now() - make_interval(days => $2))`,
    [label, ago(periods.events)],
  );
  await owner.query(
    `INSERT INTO processed_events (event_id, handler, processed_at)
     VALUES ((random() * 1e12)::bigint, $1, now() - make_interval(days => $2))`,
    [label, ago(periods.events)],
  );
  // One session past its expiry, one revoked, each with a retired refresh token.
  for (const [expires, revoked] of [
    [`now() - make_interval(days => $3)`, 'NULL'],
    ["now() + interval '1 day'", `now() - make_interval(days => $3)`],
  ]) {
    await owner.query(
      `WITH s AS (
         INSERT INTO sessions (id, user_id, family_id, current_token_hash, expires_at, revoked_at)
         VALUES (gen_random_uuid(), $1, gen_random_uuid(), $2 || gen_random_uuid(), ${expires}, ${revoked})
         RETURNING id)
       INSERT INTO retired_refresh_tokens (token_hash, session_id) SELECT $2 || gen_random_uuid(), id FROM s`,
      [ownerId, label, ago(periods.sessions)],
    );
  }
  await db.audit(ago(periods.audit), { target: label });
}
