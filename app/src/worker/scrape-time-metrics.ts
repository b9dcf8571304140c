import { eventQueue, eventQueueName } from '../adapters/queue/event-queue.js';
import type { Config } from '../config/index.js';
import type { UnitOfWork } from '../modules/unit-of-work.js';
import { queueStates, type WorkerMetrics } from '../observability/worker-metrics.js';

/**
 * The sources the worker's gauges read at each scrape: the event queue's job counts (a producer connection
 * of its own, which fails fast while Redis is down instead of holding the scrape) and the outbox backlog.
 */
export function trackQueueAndOutbox(
  cfg: Config,
  uow: UnitOfWork,
  metrics: Pick<WorkerMetrics, 'trackQueue' | 'trackOutbox'>,
) {
  if (!cfg.redis) throw new Error('the worker needs REDIS_URL: the queue lives in Redis');
  const queue = eventQueue(cfg.redis.url, { ...cfg.events.jobs, prefix: cfg.events.queuePrefix });
  metrics.trackQueue(eventQueueName, () => queue.queue.getJobCounts(...queueStates));
  metrics.trackOutbox(() => uow.repos.outbox.pendingBacklog());
  return { close: () => queue.close() };
}
