/**
 * Every metric the dashboards may query, with the labels it carries and where it comes from. A dashboard query
 * naming anything else is a typo or a metric nobody exposes, and the dashboard tests refuse it. The app's and
 * the worker's entries are checked against their real registries; the others cite the pinned upstream source.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface ExposedMetric {
  readonly type: MetricType;
  /** Labels the exporter sets; the scrape's target labels (below) come on top. */
  readonly labels: readonly string[];
  /** Who exposes it: `app` and `worker` are this repository's processes. */
  readonly exporter: 'app' | 'worker' | 'cloudnative-pg' | 'pgbouncer' | 'istio';
  readonly source: string;
}

/**
 * Labels the Prometheus Operator adds to every target of a ServiceMonitor or PodMonitor (prometheus-operator
 * v0.93.1, the appVersion of kube-prometheus-stack 88.5.3: pkg/prometheus/promcfg.go relabelings). `service`
 * exists only for ServiceMonitor targets (the API); the worker and the CloudNativePG pods are PodMonitor targets.
 */
export const targetLabels = [
  'namespace',
  'service',
  'pod',
  'container',
  'endpoint',
  'job',
  'instance',
] as const;

const appMetrics = 'app/src/observability/metrics.ts';
const workerMetrics = 'app/src/observability/worker-metrics.ts';
/** CloudNativePG's default queries: `cnpg_<query>_<column>` (docs/src/monitoring.md, "cnpg_<MetricName>_<ColumnName>"). */
const cnpgQueries = 'cloudnative-pg/cloudnative-pg@v1.30.0 config/manager/default-monitoring.yaml';
const cnpgCollector =
  'cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/postgres/webserver/metricserver/pg_collector.go';
const pgbouncer = (file: string) =>
  `cloudnative-pg/cloudnative-pg@v1.30.0 pkg/management/pgbouncer/metricsserver/${file}`;
/** The sidecar's standard metrics (Istio 1.30, https://istio.io/v1.30/docs/reference/config/metrics/). */
const istioDocs = 'Istio 1.30 standard metrics (istio.io/v1.30/docs/reference/config/metrics/)';
const istioLabels = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;

export const exposedMetrics = {
  // The API and the worker (both register the database, Redis and process metrics).
  http_server_request_duration_seconds: {
    type: 'histogram',
    labels: ['method', 'route', 'status_code'],
    exporter: 'app',
    source: appMetrics,
  },
  http_server_active_requests: { type: 'gauge', labels: ['method'], exporter: 'app', source: appMetrics },
  http_server_rate_limited_requests_total: {
    type: 'counter',
    labels: [],
    exporter: 'app',
    source: appMetrics,
  },
  db_client_operation_duration_seconds: {
    type: 'histogram',
    labels: ['operation'],
    exporter: 'app',
    source: appMetrics,
  },
  db_client_connection_count: { type: 'gauge', labels: ['state'], exporter: 'app', source: appMetrics },
  db_client_connection_pending_requests: { type: 'gauge', labels: [], exporter: 'app', source: appMetrics },
  db_client_connection_errors_total: {
    type: 'counter',
    labels: ['kind'],
    exporter: 'app',
    source: appMetrics,
  },
  redis_client_errors_total: { type: 'counter', labels: ['kind'], exporter: 'app', source: appMetrics },
  cache_lookups_total: { type: 'counter', labels: ['cache', 'result'], exporter: 'app', source: appMetrics },
  // The worker's own.
  worker_jobs_total: {
    type: 'counter',
    labels: ['queue', 'outcome'],
    exporter: 'worker',
    source: workerMetrics,
  },
  worker_job_duration_seconds: {
    type: 'histogram',
    labels: ['queue'],
    exporter: 'worker',
    source: workerMetrics,
  },
  worker_queue_jobs: { type: 'gauge', labels: ['queue', 'state'], exporter: 'worker', source: workerMetrics },
  outbox_pending_events: { type: 'gauge', labels: [], exporter: 'worker', source: workerMetrics },
  outbox_oldest_pending_age_seconds: { type: 'gauge', labels: [], exporter: 'worker', source: workerMetrics },
  // CloudNativePG instances (PodMonitor `platform-db`).
  cnpg_collector_up: {
    type: 'gauge',
    labels: ['cluster'],
    exporter: 'cloudnative-pg',
    source: cnpgCollector,
  },
  cnpg_backends_total: {
    type: 'gauge',
    labels: ['datname', 'usename', 'application_name', 'state'],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  cnpg_backends_waiting_total: { type: 'gauge', labels: [], exporter: 'cloudnative-pg', source: cnpgQueries },
  cnpg_pg_database_size_bytes: {
    type: 'gauge',
    labels: ['datname'],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  cnpg_pg_replication_lag: { type: 'gauge', labels: [], exporter: 'cloudnative-pg', source: cnpgQueries },
  cnpg_pg_replication_streaming_replicas: {
    type: 'gauge',
    labels: [],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  cnpg_pg_stat_database_xact_commit: {
    type: 'counter',
    labels: ['datname'],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  cnpg_pg_stat_database_xact_rollback: {
    type: 'counter',
    labels: ['datname'],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  cnpg_pg_stat_database_deadlocks: {
    type: 'counter',
    labels: ['datname'],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  cnpg_pg_stat_archiver_failed_count: {
    type: 'counter',
    labels: [],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  cnpg_pg_stat_archiver_seconds_since_last_archival: {
    type: 'gauge',
    labels: [],
    exporter: 'cloudnative-pg',
    source: cnpgQueries,
  },
  // CloudNativePG's PgBouncer exporter (PodMonitor `platform-db-pooler`).
  cnpg_pgbouncer_up: {
    type: 'gauge',
    labels: [],
    exporter: 'pgbouncer',
    source: pgbouncer('pgbouncer_collector.go'),
  },
  cnpg_pgbouncer_pools_cl_active: {
    type: 'gauge',
    labels: ['database', 'user'],
    exporter: 'pgbouncer',
    source: pgbouncer('pools.go'),
  },
  cnpg_pgbouncer_pools_cl_waiting: {
    type: 'gauge',
    labels: ['database', 'user'],
    exporter: 'pgbouncer',
    source: pgbouncer('pools.go'),
  },
  cnpg_pgbouncer_pools_sv_active: {
    type: 'gauge',
    labels: ['database', 'user'],
    exporter: 'pgbouncer',
    source: pgbouncer('pools.go'),
  },
  cnpg_pgbouncer_pools_sv_idle: {
    type: 'gauge',
    labels: ['database', 'user'],
    exporter: 'pgbouncer',
    source: pgbouncer('pools.go'),
  },
  /** Seconds the oldest waiting client has waited. */
  cnpg_pgbouncer_pools_maxwait: {
    type: 'gauge',
    labels: ['database', 'user'],
    exporter: 'pgbouncer',
    source: pgbouncer('pools.go'),
  },
  /** A running total since PgBouncer started, though registered as a GaugeVec: rate() applies. */
  cnpg_pgbouncer_stats_total_xact_count: {
    type: 'counter',
    labels: ['database'],
    exporter: 'pgbouncer',
    source: pgbouncer('stats.go'),
  },
  /** Microseconds. */
  cnpg_pgbouncer_stats_avg_wait_time: {
    type: 'gauge',
    labels: ['database'],
    exporter: 'pgbouncer',
    source: pgbouncer('stats.go'),
  },
  // Every Istio sidecar.
  istio_requests_total: { type: 'counter', labels: istioLabels, exporter: 'istio', source: istioDocs },
  istio_request_duration_milliseconds: {
    type: 'histogram',
    labels: istioLabels,
    exporter: 'istio',
    source: istioDocs,
  },
} as const satisfies Record<string, ExposedMetric>;

export type MetricName = keyof typeof exposedMetrics;

/**
 * The series names a metric produces, each with the labels it may carry (target labels included): a histogram
 * is its `_bucket` (with `le`), `_sum` and `_count` series; the others are their own name.
 */
export function exposedSeries(): Map<string, ReadonlySet<string>> {
  const series = new Map<string, ReadonlySet<string>>();
  for (const [name, metric] of Object.entries(exposedMetrics) as [string, ExposedMetric][]) {
    const labels = [...metric.labels, ...targetLabels];
    if (metric.type === 'histogram') {
      series.set(`${name}_bucket`, new Set([...labels, 'le']));
      series.set(`${name}_sum`, new Set(labels));
      series.set(`${name}_count`, new Set(labels));
    } else {
      series.set(name, new Set(labels));
    }
  }
  return series;
}
