import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.js';
import { sharedRedisUrl, testSigningKeys } from '../support/test-app.js';
import {
  createRuntimeUser,
  type RetentionDatabase,
  retentionDatabase,
  retentionEnv,
  seedEveryTable,
} from './retention-database.js';

describe('npm run retention and npm run legal-hold (as processes, as the runtime role)', () => {
  let runtime: Awaited<ReturnType<typeof createRuntimeUser>>;
  let db: RetentionDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    runtime = await createRuntimeUser();
    db = await retentionDatabase(runtime.name);
    env = {
      APP_ENV: 'dev',
      REDIS_URL: sharedRedisUrl,
      DATABASE_URL: db.app.cfg.database.kind === 'postgres' ? db.app.cfg.database.url : '',
      JWT_SIGNING_KEYS: JSON.stringify(testSigningKeys.keys),
      JWT_ACTIVE_KID: testSigningKeys.activeKid,
      LOG_LEVEL: 'error',
      DB_SLOW_QUERY_MS: '0',
      ...retentionEnv,
    };
  });
  afterAll(async () => {
    await db?.close();
    await runtime?.drop();
  });

  it('--dry-run reports per table what a run would remove and removes nothing; without it, removes that', async () => {
    await seedEveryTable(db, 'past', 1);
    await seedEveryTable(db, 'within', -1);
    const before = await db.count('audit_logs');

    const dry = await runCli('src/cli/retention.ts', ['--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^retention dry run \(/);
    expect(dry.stdout).toContain('items: would remove 1 older than 30 days');
    expect(dry.stdout).toContain('retired_refresh_tokens: would remove 2 older than 30 days');
    expect(dry.stdout).toContain('audit_logs: would remove 1 older than 365 days');
    expect(await db.count('audit_logs')).toBe(before);
    expect(await db.count('items')).toBe(2);

    const real = await runCli('src/cli/retention.ts', [], env);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('items: removed 1 older than 30 days');
    expect(real.stdout).toContain('sessions: removed 2 older than 30 days');
    expect(await db.count('items')).toBe(1);
    expect(await db.count('audit_logs')).toBe(before - 1);
  });

  it('places, lists and releases a legal hold, and refuses a command it cannot read', async () => {
    const user = crypto.randomUUID();
    const placed = await runCli(
      'src/cli/legal-hold.ts',
      ['place', '--user', user, '--from', '2026-01-01', '--reason', 'matter 7', '--by', 'counsel'],
      env,
    );
    expect(placed.code, placed.stderr).toBe(0);
    const id = /^placed #(\d+) \| user /.exec(placed.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await runCli('src/cli/legal-hold.ts', ['list'], env)).stdout).toContain(`#${id} | user ${user}`);

    const released = await runCli('src/cli/legal-hold.ts', ['release', id!, '--by', 'counsel'], env);
    expect(released.stdout).toContain('released by counsel');
    expect((await runCli('src/cli/legal-hold.ts', ['list'], env)).stdout).toContain(
      'no legal holds in force',
    );
    const again = await runCli('src/cli/legal-hold.ts', ['release', id!, '--by', 'counsel'], env);
    expect(again).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`No legal hold ${id} is in force.`),
    });

    const unreadable = await runCli('src/cli/legal-hold.ts', ['place', '--user', 'nobody'], env);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('reason');
    expect(unreadable.stderr).toContain('user');
  });
});
