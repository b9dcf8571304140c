import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetentionReport } from '../../src/modules/retention/run-retention.js';
import { startRetentionJob } from '../../src/worker/retention-job.js';
import { createRuntimeUser, type RetentionDatabase, retentionDatabase } from './retention-database.js';

describe('the scheduled retention job (BullMQ on real Redis, two workers)', () => {
  let runtime: Awaited<ReturnType<typeof createRuntimeUser>>;
  let db: RetentionDatabase;
  beforeAll(async () => {
    runtime = await createRuntimeUser();
    db = await retentionDatabase(runtime.name, {
      RETENTION_SCHEDULE: '* * * * * *',
      RETENTION_BATCH_SIZE: '50',
    });
  });
  afterAll(async () => {
    await db?.close();
    await runtime?.drop();
  });

  it('runs one purge at a time across workers, even when a run outlasts the ticks behind it', async () => {
    const rows = 300;
    await db.owner.query(
      `INSERT INTO notifications (id, user_id, kind, subject_id, created_at)
       SELECT gen_random_uuid(), $1, 'ItemCreated', 'bulk', now() - interval '100 days' FROM generate_series(1, $2)`,
      [db.ownerId, rows],
    );
    // The audit purge takes the chain's lock: holding it keeps the first run active across several ticks.
    await db.owner.query('BEGIN');
    await db.owner.query(`SELECT pg_advisory_xact_lock(hashtext('audit_logs_chain'))`);
    const { cfg, deps } = db.app;
    const workers = [
      await startRetentionJob(cfg, deps.uow, deps.log),
      await startRetentionJob(cfg, deps.uow, deps.log),
    ];
    try {
      // Ticks keep coming every second while the first run waits: never a second run active beside it.
      const queue = workers[0]!.queue;
      let mostActive = 0;
      for (let t = 0; t < 35; t++) {
        mostActive = Math.max(mostActive, await queue.getActiveCount());
        await sleep(100);
      }
      expect(mostActive).toBe(1);
      await db.owner.query('COMMIT');
      for (let i = 0; i < 100 && (await queue.getCompletedCount()) < 3; i++) await sleep(100);

      const completed = await queue.getJobs(['completed']);
      expect(completed.length).toBeGreaterThanOrEqual(3);
      expect(await queue.getFailedCount()).toBe(0);
      const spans = completed
        .map((job) => [job.processedOn!, job.finishedOn!] as const)
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
      const removed = completed.reduce(
        (sum, job) => sum + ((job.returnvalue as RetentionReport).tables.notifications?.rows ?? 0),
        0,
      );
      expect(removed).toBe(rows);
      expect(await db.count('notifications')).toBe(0);
    } finally {
      await db.owner.query('ROLLBACK').catch(() => undefined);
      await Promise.all(
        workers.map(async (worker) => {
          await worker.queue.removeJobScheduler('retention');
          await worker.close();
        }),
      );
    }
  });
});
