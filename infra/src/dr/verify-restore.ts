import { appTables, auditTrail, timestampedTables } from './app-schema.js';
import type { SqlConnection } from './sql-connection.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyOptions {
  /** The service's migrations, oldest first (`appMigrationNames()`): none up to the latest applied may be missing. */
  knownMigrations: readonly string[];
  /** A point-in-time restore: no row may be newer than its target. */
  notAfter?: Date;
}

export interface VerificationReport {
  ok: boolean;
  checks: Check[];
  latestMigration: string | null;
  rowCounts: Record<string, number>;
  /** When the last transaction replayed from the archive committed (null once the server has restarted). */
  lastReplayedCommit: Date | null;
  /** The newest `created_at` of the service's tables: when the restored data was last written to. */
  newestWrite: Date | null;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Checks a restored database the way the service will meet it: its migration history complete and none failed,
 * every table there (with its row count), the audit trail still append-only and its hash chain intact. Read-only; one connection to
 * the service's database as a role that can read every table (the owner or a superuser).
 */
export async function verifyRestoredDatabase(
  db: SqlConnection,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const checks: Check[] = [];
  const migrations = await migrationChecks(db, options.knownMigrations);
  checks.push(...migrations.checks);
  const tables = await tableChecks(db);
  checks.push(...tables.checks);
  checks.push(...(await auditTrailChecks(db)), await auditChainCheck(db));
  const newestWrite = await newestWriteOf(db, tables.present);
  if (options.notAfter) checks.push(await notAfterCheck(db, tables.present, options.notAfter));

  const [replay] = (await db.query<{ at: Date | null }>('SELECT pg_last_xact_replay_timestamp() AS at')).rows;
  return {
    ok: checks.every((check) => check.ok),
    checks,
    latestMigration: migrations.latest,
    rowCounts: tables.counts,
    lastReplayedCommit: replay?.at ?? null,
    newestWrite,
  };
}

async function migrationChecks(db: SqlConnection, known: readonly string[]) {
  const [exists] = (
    await db.query<{ present: boolean }>(
      `SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present`,
    )
  ).rows;
  if (!exists?.present) {
    const check = {
      name: 'migrations',
      ok: false,
      detail: '_prisma_migrations is missing: no migration ran',
    };
    return { checks: [check], latest: null };
  }
  // Prisma's own reading of its history: a row rolled back is history only; one neither finished nor rolled
  // back is a failed migration, and `migrate deploy` refuses to go on until it is resolved.
  const rows = (
    await db.query<{ name: string; finished: boolean; rolled_back: boolean }>(
      `SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
         FROM _prisma_migrations ORDER BY migration_name`,
    )
  ).rows;
  const failed = rows.filter((row) => !row.finished && !row.rolled_back).map((row) => row.name);
  const applied = new Set(rows.filter((row) => row.finished && !row.rolled_back).map((row) => row.name));
  const latest = [...applied].sort().at(-1) ?? null;
  // Names sort by their timestamp: every known migration up to the latest applied one must be there.
  const missing = latest === null ? [...known] : known.filter((name) => name <= latest && !applied.has(name));
  const unknown = [...applied].filter((name) => !known.includes(name));
  const pending = latest === null ? known.length : known.filter((name) => name > latest).length;

  const checks: Check[] = [
    {
      name: 'migrations: none failed',
      ok: failed.length === 0,
      detail: failed.length
        ? `failed (not finished, not rolled back): ${failed.join(', ')}`
        : `${rows.length} recorded`,
    },
    {
      name: 'migrations: history complete',
      ok: latest !== null && missing.length === 0,
      detail: [
        latest ? `latest ${latest}` : 'none applied',
        missing.length ? `missing ${missing.join(', ')}` : '',
        pending ? `${pending} newer in this checkout (the backup predates them)` : '',
        unknown.length ? `applied but unknown here: ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    },
  ];
  return { checks, latest };
}

async function tableChecks(db: SqlConnection) {
  const present = (
    await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])`,
      [[...appTables]],
    )
  ).rows.map((row) => row.name);
  const counts: Record<string, number> = {};
  for (const table of appTables.filter((name) => present.includes(name))) {
    const [row] = (await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(table)}`))
      .rows;
    counts[table] = Number(row?.n ?? 0);
  }
  const absent = appTables.filter((name) => !present.includes(name));
  const check: Check = {
    name: 'tables: all present',
    ok: absent.length === 0,
    detail: absent.length ? `missing ${absent.join(', ')}` : `${present.length} tables`,
  };
  return { checks: [check], present, counts };
}

/**
 * The audit log is append-only, enforced twice: triggers refuse UPDATE, DELETE and TRUNCATE whoever asks, and the
 * service's runtime role holds no privilege for them. A restore must bring both back, and a tampered row can only
 * be written by first disabling or rewriting the guard, which leaves a trace here. The sequence must be past the
 * newest id, or the service's next entry fails on the primary key.
 */
async function auditTrailChecks(db: SqlConnection): Promise<Check[]> {
  const triggers = (
    await db.query<{ name: string; enabled: string; fn: string; raises: boolean }>(
      `SELECT t.tgname AS name, t.tgenabled::text AS enabled, p.proname AS fn,
              p.prosrc ~* 'raise\\s+exception' AS raises
         FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE t.tgrelid = to_regclass('public.${auditTrail.table}') AND NOT t.tgisinternal`,
    )
  ).rows;
  const guards = auditTrail.triggers.map((name) => {
    const trigger = triggers.find((row) => row.name === name);
    if (!trigger) return `${name} missing`;
    // pg_trigger.tgenabled: O origin/local, A always, R replica only, D disabled.
    if (!['O', 'A'].includes(trigger.enabled)) return `${name} not enabled (tgenabled ${trigger.enabled})`;
    if (trigger.fn !== auditTrail.refuseFunction || !trigger.raises)
      return `${name} no longer calls a refusing ${auditTrail.refuseFunction}()`;
    return '';
  });
  const guardProblems = guards.filter(Boolean);

  const [role] = (
    await db.query<{ exists: boolean; writes: boolean }>(
      `SELECT r.oid IS NOT NULL AS exists,
              r.oid IS NOT NULL AND (has_table_privilege(r.oid, to_regclass('public.${auditTrail.table}'), 'UPDATE')
                OR has_table_privilege(r.oid, to_regclass('public.${auditTrail.table}'), 'DELETE')
                OR has_table_privilege(r.oid, to_regclass('public.${auditTrail.table}'), 'TRUNCATE')) AS writes
         FROM (SELECT 1) one LEFT JOIN pg_roles r ON r.rolname = $1`,
      [auditTrail.runtimeRole],
    )
  ).rows;

  const [sequence] = (
    await db.query<{ last: string | null; called: boolean; max: string | null }>(
      `SELECT s.last_value::text AS last, s.is_called AS called, (SELECT max(id)::text FROM ${auditTrail.table}) AS max
         FROM ${auditTrail.sequence} s`,
    )
  ).rows;
  const max = sequence?.max === null || sequence?.max === undefined ? null : BigInt(sequence.max);
  // The next id is last_value + 1 once called, last_value itself before.
  const next = sequence?.last ? BigInt(sequence.last) + (sequence.called ? 1n : 0n) : null;

  return [
    {
      name: 'audit trail: append-only triggers',
      ok: guardProblems.length === 0,
      detail: guardProblems.length ? guardProblems.join('; ') : `${auditTrail.triggers.join(', ')} enabled`,
    },
    {
      name: 'audit trail: runtime role cannot rewrite it',
      ok: Boolean(role?.exists) && !role?.writes,
      detail: !role?.exists
        ? `role ${auditTrail.runtimeRole} missing`
        : role.writes
          ? `${auditTrail.runtimeRole} may UPDATE, DELETE or TRUNCATE ${auditTrail.table}`
          : 'INSERT and SELECT only',
    },
    {
      name: 'audit trail: ids continue after the newest entry',
      ok: max === null || (next !== null && next > max),
      detail: `newest id ${max ?? 'none'}, next ${next ?? 'unknown'}`,
    },
  ];
}

/**
 * The audit log's hash chain (app migration 20261205080000_audit_hash_chain), recomputed here rather than by the
 * database's own `audit_logs_entry_hash()`: whoever rewrote entries could have rewritten that function too. The
 * canonical form must stay the migration's: SHA-256 over the previous hash and the jsonb text of the fields.
 *
 * Retention removes old entries (migration 20261205121000_data_retention) and leaves a checkpoint for each run of
 * removed entries: its first and last chain_seq, the hash before the first and the last one's hash. Entries and
 * checkpoints walked in chain order must cover 1..head with no gap or overlap, each linking to the one before; an
 * entry's content must still match its hash (a checkpoint's cannot be recomputed: it stands for what is gone).
 * A backup from before that migration has no checkpoints table and is walked as entries alone.
 */
export async function auditChainCheck(db: SqlConnection): Promise<Check> {
  const [table] = (
    await db.query<{ present: boolean }>(
      `SELECT to_regclass('public.${auditTrail.checkpoints}') IS NOT NULL AS present`,
    )
  ).rows;
  const checkpoints = table?.present
    ? `UNION ALL SELECT first_seq, last_seq, prev_hash, last_hash, NULL, true FROM ${auditTrail.checkpoints}`
    : '';
  const [chain] = (
    await db.query<{
      entries: number;
      removed: number;
      unlinked: number;
      gaps: number;
      broken: number;
      altered: number;
    }>(
      `SELECT count(*) FILTER (WHERE NOT checkpoint)::int AS entries,
              coalesce(sum(last_seq - first_seq + 1) FILTER (WHERE checkpoint), 0)::int AS removed,
              count(*) FILTER (WHERE hash IS NULL OR first_seq IS NULL)::int AS unlinked,
              count(*) FILTER (WHERE first_seq IS DISTINCT FROM coalesce(previous_last, 0) + 1)::int AS gaps,
              count(*) FILTER (WHERE prev_hash IS DISTINCT FROM previous)::int AS broken,
              count(*) FILTER (WHERE NOT checkpoint AND hash IS DISTINCT FROM recomputed)::int AS altered
         FROM (SELECT *, lag(last_seq) OVER w AS previous_last, lag(hash) OVER w AS previous
                 FROM (SELECT chain_seq AS first_seq, chain_seq AS last_seq, prev_hash, hash,
                              sha256(coalesce(prev_hash, '\\x'::bytea) || convert_to(jsonb_build_array(chain_seq,
                                actor_id, action, target, outcome, ip, request_id, metadata,
                                extract(epoch FROM created_at))::text, 'UTF8')) AS recomputed,
                              false AS checkpoint
                         FROM ${auditTrail.table}
                       ${checkpoints}) nodes
               WINDOW w AS (ORDER BY first_seq)) chain`,
    )
  ).rows;
  const problems = chain
    ? [
        chain.unlinked && `${chain.unlinked} entries outside the chain`,
        chain.gaps && `${chain.gaps} entries after a gap in the sequence`,
        chain.broken && `${chain.broken} entries not linked to the one before`,
        chain.altered && `${chain.altered} entries whose content no longer matches their hash`,
      ].filter(Boolean)
    : ['no answer'];
  const removed = chain?.removed ? `; ${chain.removed} removed by retention, checkpointed` : '';
  return {
    name: 'audit trail: hash chain intact',
    ok: problems.length === 0,
    detail: problems.length
      ? problems.join('; ')
      : `${chain?.entries ?? 0} entries, each linked and unaltered${removed}`,
  };
}

async function newestWriteOf(db: SqlConnection, present: readonly string[]): Promise<Date | null> {
  const tables = timestampedTables.filter((name) => present.includes(name));
  if (tables.length === 0) return null;
  const union = tables
    .map((name) => `SELECT max(created_at) AS at FROM ${quoteIdent(name)}`)
    .join(' UNION ALL ');
  const [row] = (await db.query<{ at: Date | null }>(`SELECT max(at) AS at FROM (${union}) newest`)).rows;
  return row?.at ?? null;
}

async function notAfterCheck(db: SqlConnection, present: readonly string[], notAfter: Date): Promise<Check> {
  const tables = timestampedTables.filter((name) => present.includes(name));
  const counts: (readonly [string, number])[] = [];
  for (const name of tables) {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${quoteIdent(name)} WHERE created_at > $1`,
      [notAfter],
    );
    counts.push([name, Number(rows[0]?.n ?? 0)]);
  }
  const past = counts.filter(([, n]) => n > 0);
  return {
    name: 'point in time: nothing newer than the target',
    ok: past.length === 0,
    detail: past.length
      ? `rows after ${notAfter.toISOString()}: ${past.map(([name, n]) => `${name} ${n}`).join(', ')}`
      : `none after ${notAfter.toISOString()}`,
  };
}
