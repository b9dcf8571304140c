import { service } from '../contract.js';
import { type DashboardDefinition, stat, timeseries } from './panels.js';

const clients = `namespace="${service.namespace}"`;
const lookups = (selector: string) => `rate(cache_lookups_total{${selector}}[$__rate_interval])`;

/**
 * Redis as the service sees it. The platform runs Valkey without an exporter (infra/src/redis), so the client
 * side is the whole view: errors by kind, and what the caches get out of it.
 */
export const redisDashboard: DashboardDefinition = {
  uid: `${service.name}-redis`,
  title: 'Platform API / Redis',
  description: 'Redis errors seen by the API and the worker, and the caches’ hit ratio.',
  rows: [
    {
      title: 'Availability',
      panels: [
        stat({
          title: 'Connection errors',
          description: 'Failed Redis links per second, all processes.',
          unit: 'ops',
          queries: [
            { expr: `sum(rate(redis_client_errors_total{${clients}, kind="connection"}[$__rate_interval]))` },
          ],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 0.01, color: 'red' },
          ],
        }),
        stat({
          title: 'Cache hit ratio',
          description: 'Share of cache lookups answered from Redis, all caches.',
          unit: 'percentunit',
          queries: [{ expr: `sum(${lookups(`${clients}, result="hit"`)}) / sum(${lookups(clients)})` }],
        }),
        timeseries({
          title: 'Errors by kind',
          description:
            'Redis errors per second by process and kind: connection (the link failed) or command.',
          unit: 'ops',
          min: 0,
          queries: [
            {
              expr: `sum by (container, kind) (rate(redis_client_errors_total{${clients}}[$__rate_interval]))`,
              legend: '{{container}} {{kind}}',
            },
          ],
        }),
      ],
    },
    {
      title: 'Caches',
      panels: [
        timeseries({
          title: 'Hit ratio by cache',
          description: 'Share of each cache’s lookups that hit.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          queries: [
            {
              expr: `sum by (cache) (${lookups(`${clients}, result="hit"`)}) / sum by (cache) (${lookups(clients)})`,
              legend: '{{cache}}',
            },
          ],
        }),
        timeseries({
          title: 'Lookups by cache',
          description: 'Cache lookups per second by cache and result.',
          unit: 'ops',
          min: 0,
          queries: [{ expr: `sum by (cache, result) (${lookups(clients)})`, legend: '{{cache}} {{result}}' }],
        }),
      ],
    },
  ],
};
