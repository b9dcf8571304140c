import { service } from '../contract.js';
import { type DashboardDefinition, stat, timeseries } from './panels.js';

const worker = `namespace="${service.namespace}"`;
const perQueue = `${worker}, queue=~"$queue"`;
const jobs = (selector: string) => `rate(worker_jobs_total{${selector}}[$__rate_interval])`;

/**
 * The event worker: job throughput and outcomes, job duration, queue depth and outbox lag. Every worker replica
 * reads the same queue and outbox at scrape time, so those gauges are taken with max, never summed.
 */
export const workerDashboard: DashboardDefinition = {
  uid: `${service.name}-worker`,
  title: 'Platform API / Worker',
  description: 'Jobs, outcomes, durations, queue depth and outbox lag of the event worker.',
  variables: [{ name: 'queue', label: 'Queue', query: `label_values(worker_jobs_total{${worker}}, queue)` }],
  rows: [
    {
      title: 'Overview',
      panels: [
        stat({
          title: 'Jobs',
          description: 'Jobs finished per second, all outcomes.',
          unit: 'ops',
          queries: [{ expr: `sum(${jobs(perQueue)})` }],
        }),
        stat({
          title: 'Failing attempts',
          description: 'Share of finished attempts that failed (retried or dead-lettered).',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum(${jobs(`${perQueue}, outcome=~"retried|dead_lettered"`)}) / sum(${jobs(perQueue)})`,
            },
          ],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 0.01, color: 'orange' },
            { value: 0.1, color: 'red' },
          ],
        }),
        stat({
          title: 'Dead-lettered (range)',
          description: 'Jobs that ran out of attempts during the dashboard’s time range.',
          unit: 'short',
          queries: [
            { expr: `sum(increase(worker_jobs_total{${perQueue}, outcome="dead_lettered"}[$__range]))` },
          ],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 1, color: 'red' },
          ],
        }),
        stat({
          title: 'Outbox lag',
          description: 'Age of the oldest event committed but not yet handed to the queue.',
          unit: 's',
          queries: [{ expr: `max(outbox_oldest_pending_age_seconds{${worker}})` }],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 60, color: 'orange' },
            { value: 300, color: 'red' },
          ],
        }),
      ],
    },
    {
      title: 'Jobs',
      panels: [
        timeseries({
          title: 'Jobs by outcome',
          description: 'Jobs finished per second by queue and outcome (completed, retried, dead_lettered).',
          unit: 'ops',
          min: 0,
          queries: [{ expr: `sum by (queue, outcome) (${jobs(perQueue)})`, legend: '{{queue}} {{outcome}}' }],
        }),
        timeseries({
          title: 'Job duration',
          description: 'Time spent on one attempt, by queue: median and 99th percentile.',
          unit: 's',
          min: 0,
          queries: [0.5, 0.99].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (queue, le) (rate(worker_job_duration_seconds_bucket{${perQueue}}[$__rate_interval])))`,
            legend: `{{queue}} p${q * 100}`,
          })),
        }),
      ],
    },
    {
      title: 'Backlog',
      panels: [
        timeseries({
          title: 'Queue depth',
          description: 'Jobs in each queue by state (waiting, active, delayed, failed), read at scrape time.',
          unit: 'short',
          min: 0,
          queries: [
            { expr: `max by (queue, state) (worker_queue_jobs{${perQueue}})`, legend: '{{queue}} {{state}}' },
          ],
        }),
        timeseries({
          title: 'Outbox',
          description: 'Events waiting in the outbox, and the age in seconds of the oldest.',
          unit: 'short',
          min: 0,
          queries: [
            { expr: `max(outbox_pending_events{${worker}})`, legend: 'pending events' },
            { expr: `max(outbox_oldest_pending_age_seconds{${worker}})`, legend: 'oldest age (s)' },
          ],
        }),
      ],
    },
  ],
};
