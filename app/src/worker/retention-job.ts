import { Queue, Worker } from 'bullmq';
import { queueConnection } from '../adapters/queue/event-queue.js';
import type { Config } from '../config/index.js';
import { purgedTables } from '../modules/retention/retention-repository.js';
import { type RetentionReport, runRetention } from '../modules/retention/run-retention.js';
import type { UnitOfWork } from '../modules/unit-of-work.js';
import type { Logger } from '../observability/logger.js';
import type { RetentionMetrics } from '../observability/retention-metrics.js';

export const retentionQueueName = 'retention';
const schedulerId = 'retention';

/**
 * The scheduled purge. Every worker upserts the same job scheduler (one schedule in Redis, however many workers
 * start), so each tick adds one job; the queue's global concurrency of 1 keeps a second worker from starting the
 * next tick's job while a long run is still going. A run is one attempt: a failed run is logged and the next tick
 * retries, since whatever it deleted stays deleted. RETENTION_ENABLED=false removes the schedule.
 */
export async function startRetentionJob(
  cfg: Config,
  uow: UnitOfWork,
  log: Logger,
  metrics?: RetentionMetrics,
) {
  if (!cfg.redis) throw new Error('the retention job needs REDIS_URL: its schedule lives in Redis');
  const settings = cfg.retention;
  const queue = new Queue(retentionQueueName, {
    connection: queueConnection(cfg.redis.url, 'worker'),
    prefix: cfg.events.queuePrefix,
  });
  queue.on('error', (error) => log.warn({ err: error }, 'retention queue connection error'));
  await queue.setGlobalConcurrency(1);
  if (settings.enabled) {
    await queue.upsertJobScheduler(
      schedulerId,
      { pattern: settings.schedule, tz: 'UTC' },
      {
        name: 'purge',
        opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  } else await queue.removeJobScheduler(schedulerId);
  metrics?.track(purgedTables);

  const worker = new Worker<unknown, RetentionReport>(
    retentionQueueName,
    async () => {
      const report = await runRetention(uow.repos.retention, {
        settings,
        dryRun: settings.dryRun,
        onPurged: (table, rows) => metrics?.recordPurged(table, rows),
      });
      metrics?.recordRun(report.dryRun, report.finishedAt);
      log.info({ retention: report }, report.dryRun ? 'retention dry run' : 'retention run');
      return report;
    },
    {
      connection: queueConnection(cfg.redis.url, 'worker'),
      prefix: cfg.events.queuePrefix,
      concurrency: 1,
      lockDuration: cfg.events.worker.lockDurationMs,
      stalledInterval: cfg.events.worker.stalledIntervalMs,
    },
  );
  worker.on('failed', (_job, error) =>
    log.error({ err: error }, 'retention run failed; the next tick retries'),
  );
  worker.on('error', (error) => log.warn({ err: error }, 'retention worker connection error'));
  return {
    worker,
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
