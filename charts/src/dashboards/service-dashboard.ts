import { service } from '../contract.js';
import { type DashboardDefinition, stat, timeseries } from './panels.js';
import { apiRequests } from './slo-queries.js';

const requests = 'http_server_request_duration_seconds';
const perRoute = `${apiRequests}, route=~"$route"`;
const rate = (selector: string) => `rate(${requests}_count{${selector}}[$__rate_interval])`;
const quantile = (q: number, by: string) =>
  `histogram_quantile(${q}, sum by (${by}, le) (rate(${requests}_bucket{${perRoute}}[$__rate_interval])))`;

/** The API's RED signals (rate, errors, duration), overall and per route template. */
export const serviceDashboard: DashboardDefinition = {
  uid: `${service.name}-service`,
  title: 'Platform API / Service',
  description:
    'Requests, errors and duration of the API per route template, from http_server_request_duration_seconds.',
  variables: [
    { name: 'route', label: 'Route', query: `label_values(${requests}_count{${apiRequests}}, route)` },
  ],
  rows: [
    {
      title: 'Overview',
      panels: [
        stat({
          title: 'Requests',
          description: 'Requests per second on the selected routes.',
          unit: 'reqps',
          queries: [{ expr: `sum(${rate(perRoute)})` }],
        }),
        stat({
          title: '5xx ratio',
          description: 'Share of requests answered with a 5xx status.',
          unit: 'percentunit',
          queries: [{ expr: `sum(${rate(`${perRoute}, status_code=~"5.."`)}) / sum(${rate(perRoute)})` }],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 0.01, color: 'orange' },
            { value: 0.05, color: 'red' },
          ],
        }),
        stat({
          title: 'p99 duration',
          description: '99th percentile of request duration on the selected routes.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (le) (rate(${requests}_bucket{${perRoute}}[$__rate_interval])))`,
            },
          ],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 0.5, color: 'orange' },
            { value: 1, color: 'red' },
          ],
        }),
        stat({
          title: 'In flight',
          description: 'Requests being handled right now, all pods.',
          unit: 'short',
          queries: [{ expr: `sum(http_server_active_requests{${apiRequests}})` }],
        }),
      ],
    },
    {
      title: 'Per route',
      panels: [
        timeseries({
          title: 'Rate by route',
          description: 'Requests per second, by route template.',
          unit: 'reqps',
          min: 0,
          queries: [{ expr: `sum by (route) (${rate(perRoute)})`, legend: '{{route}}' }],
        }),
        timeseries({
          title: 'Error ratio by route',
          description: 'Share of each route’s requests answered with a 5xx status.',
          unit: 'percentunit',
          min: 0,
          queries: [
            {
              expr: `sum by (route) (${rate(`${perRoute}, status_code=~"5.."`)}) / sum by (route) (${rate(perRoute)})`,
              legend: '{{route}}',
            },
          ],
        }),
        timeseries({
          title: 'p99 duration by route',
          description: '99th percentile of request duration, by route template.',
          unit: 's',
          min: 0,
          queries: [{ expr: quantile(0.99, 'route'), legend: '{{route}}' }],
        }),
        timeseries({
          title: 'p50 duration by route',
          description: 'Median request duration, by route template.',
          unit: 's',
          min: 0,
          queries: [{ expr: quantile(0.5, 'route'), legend: '{{route}}' }],
        }),
      ],
    },
    {
      title: 'Responses',
      panels: [
        timeseries({
          title: 'Responses by status',
          description: 'Requests per second by status code (4xx are the callers’ errors, 5xx ours).',
          unit: 'reqps',
          min: 0,
          queries: [{ expr: `sum by (status_code) (${rate(perRoute)})`, legend: '{{status_code}}' }],
        }),
        timeseries({
          title: 'Rate limited',
          description: 'Requests refused by the rate limiter (429) per second.',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum(rate(http_server_rate_limited_requests_total{${apiRequests}}[$__rate_interval]))`,
              legend: 'refused',
            },
          ],
        }),
      ],
    },
  ],
};
