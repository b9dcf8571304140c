import { type Job, Worker } from 'bullmq';
import { eventQueueName, queueConnection } from '../adapters/queue/event-queue.js';
import type { Config } from '../config/index.js';
import type { StoredEvent } from '../modules/events/domain-event.js';
import { eventHandlers } from '../modules/events/event-handlers.js';
import type { UnitOfWork } from '../modules/unit-of-work.js';
import type { Logger } from '../observability/logger.js';
import type { JobOutcome, WorkerMetrics } from '../observability/worker-metrics.js';

/**
 * Consumes domain events from the queue. Retries with exponential backoff come from each job's options; a job
 * out of attempts stays in BullMQ's failed set (dead letter) and is logged as such. A worker killed mid-job
 * stops renewing the job's lock; after `lockDurationMs` another worker (or this one restarted) takes it over,
 * and the handler's idempotency keeps the effect single.
 */
export function startEventWorker(
  cfg: Config,
  uow: UnitOfWork,
  log: Logger,
  metrics?: Pick<WorkerMetrics, 'recordJobOutcome' | 'timeJob'>,
) {
  if (!cfg.redis) throw new Error('the worker needs REDIS_URL: the queue lives in Redis');
  const settings = cfg.events.worker;
  const worker = new Worker<StoredEvent>(
    eventQueueName,
    async (job) => {
      const timed = metrics?.timeJob(eventQueueName);
      try {
        const event = job.data;
        const handler = eventHandlers[event.type];
        if (!handler) throw new Error(`no handler for event type ${event.type}`);
        const result = await handler(uow, event);
        log.info(
          { eventId: event.id, type: event.type, attempt: job.attemptsMade + 1, result },
          'event handled',
        );
        return result;
      } finally {
        timed?.();
      }
    },
    {
      connection: queueConnection(cfg.redis.url, 'worker'),
      prefix: cfg.events.queuePrefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
    },
  );
  worker.on('completed', () => metrics?.recordJobOutcome(eventQueueName, 'completed'));
  worker.on('failed', (job, error) => {
    if (!job) return;
    const outcome = failureOutcome(job);
    metrics?.recordJobOutcome(eventQueueName, outcome);
    const fields = { eventId: job.data.id, type: job.data.type, attempts: job.attemptsMade, err: error };
    if (outcome === 'dead_lettered')
      log.error(fields, 'event dead-lettered: out of attempts (see the failed jobs of the queue)');
    else log.warn(fields, 'event handling failed; will retry');
  });
  worker.on('error', (error) => log.warn({ err: error }, 'worker connection error'));
  return worker;
}

/** BullMQ emits `failed` for every failed attempt; only one with no attempts left lands in the failed set. */
function failureOutcome(job: Job): Exclude<JobOutcome, 'completed'> {
  return job.attemptsMade >= (job.opts.attempts ?? 1) ? 'dead_lettered' : 'retried';
}
