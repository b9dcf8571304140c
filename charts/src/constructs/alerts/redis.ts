import { service } from '../../contract.js';
import type { AlertGroup } from './rule.js';
import { matchers } from './series.js';

/*
 * `redis_client_errors_total{kind}` (app/src/observability/metrics.ts): `connection` counts the client's error
 * events, emitted on every failed (re)connect attempt, so it keeps rising for as long as Redis is unreachable.
 */
export function redisAlerts(): AlertGroup {
  return {
    name: `${service.name}.redis`,
    alerts: [
      {
        alert: 'PlatformRedisUnavailable',
        expr: `max by (pod) (increase(redis_client_errors_total{${matchers.namespace}, kind="connection"}[5m])) > 0`,
        for: '5m',
        summary: 'A pod keeps failing to connect to Redis',
        description:
          'Pod {{ $labels.pod }} has logged {{ $value | humanize }} Redis connection errors in 5 minutes, for 5 minutes: caches are bypassed and rate limits follow the tier policy.',
        urgency: 'page',
      },
    ],
  };
}
