import { postgres, service } from '../../contract.js';
import type { AlertGroup } from './rule.js';
import { matchers } from './series.js';

export const databaseThresholds = {
  /** Requests queued for a pool connection at every scrape for this long: the pool is full or cannot connect. */
  poolWaitFor: '5m',
  p99OperationSeconds: 0.5,
  /** A failover or a pooler restart breaks a few statements once; more than this in 5 minutes, for 5, is not that. */
  connectionErrorsPer5m: 5,
  /** Clients PgBouncer holds without a server connection at every scrape for this long. */
  poolerWaitFor: '5m',
} as const;

/*
 * App side: the pg pool behind Prisma's driver adapter (app/src/observability/metrics.ts,
 * `db_client_connection_*`, `db_client_operation_duration_seconds{operation}`,
 * `db_client_connection_errors_total{kind}`).
 * Pooler side: CloudNativePG's PgBouncer exporter on each Pooler pod (port `metrics`), cloudnative-pg v1.30.0
 * pkg/management/pgbouncer/metricsserver: `cnpg_pgbouncer_up` (pgbouncer_collector.go, 1 when the exporter
 * reaches PgBouncer's admin console) and `cnpg_pgbouncer_pools_cl_waiting{database,user}` (pools.go, clients
 * that sent a query and have no server connection yet). Apache-2.0.
 */
export function databaseAlerts(): AlertGroup {
  const t = databaseThresholds;
  return {
    name: `${service.name}.database`,
    alerts: [
      {
        alert: 'PlatformDatabasePoolSaturated',
        expr: `max by (pod) (db_client_connection_pending_requests{${matchers.namespace}}) > 0`,
        for: t.poolWaitFor,
        summary: 'Requests keep waiting for a database connection from the pool',
        description:
          'Pod {{ $labels.pod }} has had requests queued for a pool connection at every scrape ({{ $value }} now): every connection is busy, or new ones fail to open.',
        urgency: 'page',
      },
      {
        alert: 'PlatformDatabaseConnectionErrors',
        // Counted per failed statement (app/src/observability/database-metrics.ts): refused, reset, timed out,
        // TLS, authentication, or the server ending the session (PostgreSQL 08xxx, 57P01-57P03).
        expr: `max by (pod, kind) (increase(db_client_connection_errors_total{${matchers.namespace}}[5m])) > ${t.connectionErrorsPer5m}`,
        for: '5m',
        summary: 'Statements keep failing for want of a database connection',
        description:
          'Pod {{ $labels.pod }} had {{ $value | humanize }} statements fail in 5 minutes with {{ $labels.kind }}, for 5 minutes: requests that need the database answer 503.',
        urgency: 'page',
      },
      {
        alert: 'PlatformDatabaseSlowOperations',
        expr: `histogram_quantile(0.99, sum by (le) (rate(db_client_operation_duration_seconds_bucket{${matchers.namespace}}[5m]))) > ${t.p99OperationSeconds}`,
        for: '10m',
        summary: `p99 database operation above ${t.p99OperationSeconds}s`,
        description: 'The 99th percentile of database statements takes {{ $value | humanizeDuration }}.',
        urgency: 'page',
      },
      {
        alert: 'PlatformPgBouncerDown',
        expr: `max by (pod) (cnpg_pgbouncer_up{namespace="${postgres.namespace}"}) == 0`,
        for: '2m',
        summary: 'A PgBouncer pod of the pooler does not answer its exporter',
        description: `Pooler pod {{ $labels.pod }} reports PgBouncer down: connections through ${postgres.pooler} fail.`,
        urgency: 'page',
      },
      {
        alert: 'PlatformPgBouncerClientsWaiting',
        expr: `max by (pod) (cnpg_pgbouncer_pools_cl_waiting{${matchers.pooler}}) > 0`,
        for: t.poolerWaitFor,
        summary: 'PgBouncer keeps clients waiting for a server connection',
        description: `Pooler pod {{ $labels.pod }} has had clients of database ${postgres.database} waiting at every scrape ({{ $value }} now): the pool is too small for the load or PostgreSQL answers slowly.`,
        urgency: 'page',
      },
    ],
  };
}
