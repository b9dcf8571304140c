import { service } from '../../contract.js';
import type { AlertGroup } from './rule.js';
import { matchers } from './series.js';

export const workerThresholds = {
  /** The relay polls continuously: an event this old means the worker is not draining the outbox. */
  outboxAgeSeconds: 120,
  waitingJobs: 1_000,
} as const;

/*
 * The worker's /metrics: `outbox_pending_events`, `outbox_oldest_pending_age_seconds` (gauges read from the
 * outbox table), `worker_jobs_total{queue,outcome}` (outcome completed | retried | dead_lettered),
 * `worker_queue_jobs{queue,state}` (state waiting | active | delayed | failed). Every replica reports the same
 * shared state, so these take the max across pods rather than a sum.
 */
export function workerAlerts(): AlertGroup {
  const worker = matchers.worker;
  const t = workerThresholds;
  return {
    name: `${service.name}.worker`,
    alerts: [
      {
        alert: 'PlatformOutboxLagging',
        expr: `max(outbox_oldest_pending_age_seconds{${worker}}) > ${t.outboxAgeSeconds}`,
        for: '5m',
        summary: `The oldest unpublished outbox event is older than ${t.outboxAgeSeconds / 60} minutes`,
        description:
          'The oldest pending outbox event has waited {{ $value | humanizeDuration }}: consumers of the events see stale state.',
        urgency: 'page',
      },
      {
        alert: 'PlatformJobsDeadLettered',
        expr: `sum by (queue) (increase(worker_jobs_total{${worker}, outcome="dead_lettered"}[15m])) > 0`,
        for: '0s',
        summary: 'A job exhausted its retries and was dead-lettered',
        description:
          '{{ $value | humanize }} jobs of queue {{ $labels.queue }} were dead-lettered in the last 15 minutes; their effects will not happen until they are replayed.',
        urgency: 'ticket',
      },
      {
        alert: 'PlatformQueueBacklog',
        expr: `max by (queue) (worker_queue_jobs{${worker}, state="waiting"}) > ${t.waitingJobs}`,
        for: '10m',
        summary: `More than ${t.waitingJobs} jobs waiting in a queue`,
        description:
          'Queue {{ $labels.queue }} has {{ $value | humanize }} jobs waiting: the workers do not keep up with the events.',
        urgency: 'page',
      },
    ],
  };
}
