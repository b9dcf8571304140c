import { describe, expect, it } from 'vitest';
import { dashboardKeys, platformDashboards } from '../src/dashboards/platform-dashboards.js';
import { burnRateCondition, burnRateWindows, defaultSloObjectives } from '../src/dashboards/slo-queries.js';
import { dashboardQueries, interpolate, queryProblems, variableNames } from './dashboards-queries.js';

const dashboards = platformDashboards();

describe('dashboard queries', () => {
  it.each(dashboardKeys)('%s: every query parses and names only exposed metrics and labels', (key) => {
    const dashboard = dashboards[key];
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(3);
    const problems = queries.flatMap((query) =>
      queryProblems(interpolate(query.expr, variableNames(dashboard))).map(
        (problem) => `${query.panel}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('the burn-rate alert conditions parse and name only exposed metrics too', () => {
    for (const sli of ['availability', 'latency'] as const) {
      for (const pair of burnRateWindows) {
        expect(queryProblems(burnRateCondition(sli, pair, defaultSloObjectives))).toEqual([]);
      }
    }
  });
});

/** One planted defect per check: each query must be refused with the reason given. */
const planted: [defect: string, expr: string, problem: string][] = [
  ['a missing parenthesis', 'sum(rate(worker_jobs_total[5m])', 'syntax error at'],
  ['a misspelt metric', 'sum(rate(worker_job_total[5m]))', 'unknown metric worker_job_total'],
  ['a metric nobody exposes', 'redis_connected_clients', 'unknown metric redis_connected_clients'],
  [
    'a misspelt label',
    'sum(rate(cache_lookups_total{results="hit"}[5m]))',
    'cache_lookups_total has no label results',
  ],
  ['le on a non-bucket series', 'http_server_request_duration_seconds_count{le="0.5"}', 'has no label le'],
  [
    'rate() over a gauge',
    'rate(outbox_pending_events[5m])',
    'rate() over outbox_pending_events, which is not a counter',
  ],
  [
    'a quantile over counts',
    'histogram_quantile(0.99, sum by (le) (rate(worker_job_duration_seconds_count[5m])))',
    'not a _bucket series',
  ],
  [
    'a quantile without le',
    'histogram_quantile(0.99, sum by (queue) (rate(worker_job_duration_seconds_bucket[5m])))',
    'drops le',
  ],
  [
    'a grouping by a label nothing carries',
    'sum by (route) (rate(worker_jobs_total[5m]))',
    'grouping by route, which none of its series carries',
  ],
];

describe('the query checks refuse planted defects', () => {
  it.each(planted)('%s', (_defect, expr, problem) => {
    expect(queryProblems(expr).join('\n')).toContain(problem);
  });

  it('a variable the dashboard does not define stays in the query and fails to parse', () => {
    const expr = 'sum(rate(worker_jobs_total{queue=~"$queue"}[$__rate_interval]))';
    expect(queryProblems(interpolate(expr, ['queue']))).toEqual([]);
    expect(
      queryProblems(interpolate(expr.replace('[$__rate_interval]', '[$window]'), ['queue'])),
    ).not.toEqual([]);
  });

  it('a planted defect in a generated dashboard is caught', () => {
    const dashboard = dashboards.worker;
    const mutated = JSON.parse(
      JSON.stringify(dashboard).replace('worker_jobs_total{', 'worker_jobs_totals{'),
    ) as typeof dashboard;
    const problems = dashboardQueries(mutated).flatMap((query) =>
      queryProblems(interpolate(query.expr, variableNames(mutated))),
    );
    expect(problems).toContain('unknown metric worker_jobs_totals');
  });
});
