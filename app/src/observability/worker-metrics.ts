import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { durationBuckets } from './metrics.js';

/** completed; retried (failed with attempts left); dead_lettered (failed with none left: the failed set). */
export type JobOutcome = 'completed' | 'retried' | 'dead_lettered';

export const queueStates = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof queueStates)[number];

export interface OutboxBacklog {
  /** Events committed but not yet handed to the queue. */
  readonly pending: number;
  /** Age of the oldest of them; 0 when none is pending. */
  readonly oldestAgeSeconds: number;
}

const outcomes: readonly JobOutcome[] = ['completed', 'retried', 'dead_lettered'];

/**
 * The worker's metrics, added to the registry of its dependencies (process, pool, Redis and Vault metrics
 * are there already). Job counts and durations are recorded as jobs finish; queue depth and outbox lag are
 * read at scrape time, so they are as fresh as the scrape and cost nothing between scrapes.
 */
export function createWorkerMetrics(registry: Registry) {
  const registers = [registry];
  const jobs = new Counter({
    name: 'worker_jobs_total',
    help: 'Jobs the worker finished, by queue and outcome (completed, retried, dead_lettered).',
    labelNames: ['queue', 'outcome'] as const,
    registers,
  });
  const jobDuration = new Histogram({
    name: 'worker_job_duration_seconds',
    help: 'Time the worker spent processing a job (one attempt), by queue.',
    labelNames: ['queue'] as const,
    buckets: durationBuckets,
    registers,
  });

  const queueCounts = new Map<string, () => Promise<Partial<Record<QueueState, number>>>>();
  new Gauge({
    name: 'worker_queue_jobs',
    help: 'Jobs in the queue by state (waiting, active, delayed, failed), read at scrape time.',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      // A queue whose counts cannot be read (Redis down) has no series rather than stale ones; the Redis
      // error metrics say why.
      this.reset();
      await Promise.all(
        [...queueCounts].map(async ([queue, read]) => {
          const counts = await read().catch(() => undefined);
          if (!counts) return;
          for (const state of queueStates) this.set({ queue, state }, counts[state] ?? 0);
        }),
      );
    },
  });

  // Both outbox gauges are collected in parallel for one scrape: they share one query.
  let readBacklog: (() => Promise<OutboxBacklog>) | undefined;
  let inFlight: Promise<OutboxBacklog | undefined> | undefined;
  const backlog = () => {
    if (!readBacklog) return Promise.resolve(undefined);
    inFlight ??= readBacklog()
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const outboxGauge = (name: string, help: string, value: (backlog: OutboxBacklog) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const read = await backlog();
        // Unreadable (database down): NaN, not the last value, so lag alerts do not act on stale numbers.
        this.set(read ? value(read) : Number.NaN);
      },
    });
  outboxGauge(
    'outbox_pending_events',
    'Events in the outbox not yet handed to the queue, read at scrape time.',
    (read) => read.pending,
  );
  outboxGauge(
    'outbox_oldest_pending_age_seconds',
    'Age of the oldest event not yet handed to the queue (0 when none), read at scrape time.',
    (read) => read.oldestAgeSeconds,
  );

  return {
    recordJobOutcome(queue: string, outcome: JobOutcome) {
      jobs.inc({ queue, outcome });
    },
    /** Starts timing one attempt; call the returned function when the processor returns or throws. */
    timeJob(queue: string): () => void {
      const end = jobDuration.startTimer({ queue });
      return () => void end();
    },
    /** Reads the queue's job counts at each scrape; its outcome counters start at 0. */
    trackQueue(queue: string, counts: () => Promise<Partial<Record<QueueState, number>>>) {
      queueCounts.set(queue, counts);
      for (const outcome of outcomes) jobs.inc({ queue, outcome }, 0);
    },
    /** Reads the outbox backlog (one query) at each scrape. */
    trackOutbox(read: () => Promise<OutboxBacklog>) {
      readBacklog = read;
    },
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
