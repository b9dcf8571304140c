import { postgres, service } from '../contract.js';
import { type DashboardDefinition, stat, timeseries } from './panels.js';

const clients = `namespace="${service.namespace}"`;
const pooler = `namespace="${postgres.namespace}", database="${postgres.database}"`;
const instances = `namespace="${postgres.namespace}"`;
const database = `${instances}, datname="${postgres.database}"`;

/**
 * The database as each side sees it: the service's own pool (db_client_*, API and worker by container), the
 * PgBouncer pooler in front of the primary, and the CloudNativePG instances behind it.
 */
export const postgresDashboard: DashboardDefinition = {
  uid: `${service.name}-postgres`,
  title: 'Platform API / PostgreSQL and PgBouncer',
  description: 'The service’s connection pool, the PgBouncer pooler and the CloudNativePG cluster.',
  rows: [
    {
      title: 'Service pool (API and worker)',
      panels: [
        timeseries({
          title: 'Pool connections',
          description: 'Connections in each process’s pool, by state (idle, used); container api or worker.',
          unit: 'short',
          min: 0,
          queries: [
            {
              expr: `sum by (container, state) (db_client_connection_count{${clients}})`,
              legend: '{{container}} {{state}}',
            },
          ],
        }),
        timeseries({
          title: 'Waiting for a connection',
          description: 'Requests queued for a pool connection: above zero, the pool is saturated.',
          unit: 'short',
          min: 0,
          queries: [
            {
              expr: `sum by (container) (db_client_connection_pending_requests{${clients}})`,
              legend: '{{container}}',
            },
          ],
        }),
        timeseries({
          title: 'Statement duration',
          description: '99th percentile of statement duration by operation, as the service measures it.',
          unit: 's',
          min: 0,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (operation, le) (rate(db_client_operation_duration_seconds_bucket{${clients}}[$__rate_interval])))`,
              legend: '{{operation}}',
            },
          ],
        }),
        timeseries({
          title: 'Statements',
          description: 'Statements per second by operation.',
          unit: 'ops',
          min: 0,
          queries: [
            {
              expr: `sum by (operation) (rate(db_client_operation_duration_seconds_count{${clients}}[$__rate_interval]))`,
              legend: '{{operation}}',
            },
          ],
        }),
      ],
    },
    {
      title: 'PgBouncer',
      panels: [
        stat({
          title: 'Poolers up',
          description: 'PgBouncer pods whose exporter reaches PgBouncer.',
          unit: 'short',
          queries: [{ expr: `sum(cnpg_pgbouncer_up{namespace="${postgres.namespace}"})` }],
        }),
        stat({
          title: 'Waiting clients',
          description: 'Clients that sent a query and have no server connection yet.',
          unit: 'short',
          queries: [{ expr: `sum(cnpg_pgbouncer_pools_cl_waiting{${pooler}})` }],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 1, color: 'orange' },
          ],
        }),
        stat({
          title: 'Longest wait',
          description: 'How long the oldest waiting client has waited.',
          unit: 's',
          queries: [{ expr: `max(cnpg_pgbouncer_pools_maxwait{${pooler}})` }],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 1, color: 'orange' },
            { value: 5, color: 'red' },
          ],
        }),
        stat({
          title: 'Transactions',
          description: 'Transactions pooled per second.',
          unit: 'ops',
          queries: [
            { expr: `sum(rate(cnpg_pgbouncer_stats_total_xact_count{${pooler}}[$__rate_interval]))` },
          ],
        }),
        timeseries({
          title: 'Client and server connections',
          description: 'Clients linked to a server or waiting for one; server connections in use or idle.',
          unit: 'short',
          min: 0,
          queries: [
            { expr: `sum(cnpg_pgbouncer_pools_cl_active{${pooler}})`, legend: 'clients active' },
            { expr: `sum(cnpg_pgbouncer_pools_cl_waiting{${pooler}})`, legend: 'clients waiting' },
            { expr: `sum(cnpg_pgbouncer_pools_sv_active{${pooler}})`, legend: 'servers active' },
            { expr: `sum(cnpg_pgbouncer_pools_sv_idle{${pooler}})`, legend: 'servers idle' },
          ],
        }),
        timeseries({
          title: 'Average wait for a server',
          description: 'Time clients spent waiting for a server connection (PgBouncer reports microseconds).',
          unit: 's',
          min: 0,
          queries: [
            { expr: `max(cnpg_pgbouncer_stats_avg_wait_time{${pooler}}) / 1e6`, legend: 'average wait' },
          ],
        }),
      ],
    },
    {
      title: 'PostgreSQL (CloudNativePG)',
      panels: [
        stat({
          title: 'Instances up',
          description: 'Instances whose metrics collector reaches PostgreSQL.',
          unit: 'short',
          queries: [{ expr: `sum(cnpg_collector_up{${instances}, cluster="${postgres.cluster}"})` }],
        }),
        stat({
          title: 'Streaming replicas',
          description: 'Replicas streaming from the primary.',
          unit: 'short',
          queries: [{ expr: `max(cnpg_pg_replication_streaming_replicas{${instances}})` }],
        }),
        stat({
          title: 'Database size',
          description: 'Size of the service’s database on the primary.',
          unit: 'bytes',
          queries: [{ expr: `max(cnpg_pg_database_size_bytes{${database}})` }],
        }),
        stat({
          title: 'Since last WAL archived',
          description: 'Seconds since the last WAL segment reached the object store.',
          unit: 's',
          queries: [{ expr: `min(cnpg_pg_stat_archiver_seconds_since_last_archival{${instances}})` }],
          thresholds: [
            { value: 0, color: 'green' },
            { value: 600, color: 'orange' },
            { value: 3600, color: 'red' },
          ],
        }),
        timeseries({
          title: 'Transactions',
          description: 'Commits and rollbacks per second in the service’s database.',
          unit: 'ops',
          min: 0,
          queries: [
            {
              expr: `sum(rate(cnpg_pg_stat_database_xact_commit{${database}}[$__rate_interval]))`,
              legend: 'commits',
            },
            {
              expr: `sum(rate(cnpg_pg_stat_database_xact_rollback{${database}}[$__rate_interval]))`,
              legend: 'rollbacks',
            },
            {
              expr: `sum(rate(cnpg_pg_stat_database_deadlocks{${database}}[$__rate_interval]))`,
              legend: 'deadlocks',
            },
          ],
        }),
        timeseries({
          title: 'Backends',
          description: 'Server processes on the service’s database by state, and those waiting on a lock.',
          unit: 'short',
          min: 0,
          queries: [
            { expr: `sum by (state) (cnpg_backends_total{${database}})`, legend: '{{state}}' },
            { expr: `sum(cnpg_backends_waiting_total{${instances}})`, legend: 'waiting on locks' },
          ],
        }),
        timeseries({
          title: 'Replication lag',
          description: 'How far each replica’s replay is behind the primary.',
          unit: 's',
          min: 0,
          queries: [{ expr: `max by (pod) (cnpg_pg_replication_lag{${instances}})`, legend: '{{pod}}' }],
        }),
        timeseries({
          title: 'WAL archiving failures',
          description: 'Failed attempts to archive a WAL segment; each one delays point-in-time recovery.',
          unit: 'short',
          min: 0,
          queries: [
            {
              expr: `sum by (pod) (increase(cnpg_pg_stat_archiver_failed_count{${instances}}[$__rate_interval]))`,
              legend: '{{pod}}',
            },
          ],
        }),
      ],
    },
  ],
};
