import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; the OpenTelemetry semantic-conventions boundaries for HTTP and database durations. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export type AuthEvent = 'login' | 'refresh' | 'logout';
export type AuthOutcome = 'succeeded' | 'failed' | 'reused';

/** What the Vault client knows of its own token, read at each scrape. */
export interface VaultTokenFacts {
  /** Kubernetes auth logins refused or failed since the process started. */
  readonly loginFailures: number;
  /** Unix seconds when the token now held expires: Infinity if it never does, undefined before the first login. */
  readonly tokenExpiresAt: number | undefined;
}

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/**
 * The service's Prometheus metrics, one registry per app (tests start several apps in one process). Names
 * and units follow the OpenTelemetry semantic conventions as Prometheus spells them (`http.server.request.
 * duration` in seconds -> `http_server_request_duration_seconds`); labels hold only bounded values.
 */
export function createMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  const registers = [registry];
  // Process and runtime: CPU, memory, heap, event-loop lag, GC, handles.
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: durationBuckets,
    registers,
  });
  const activeRequests = new Gauge({
    name: 'http_server_active_requests',
    help: 'HTTP server requests being handled right now.',
    labelNames: ['method'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: 'http_server_rate_limited_requests_total',
    help: 'Requests refused by the rate limiter (429).',
    registers,
  });
  const dbOperationDuration = new Histogram({
    name: 'db_client_operation_duration_seconds',
    help: 'Duration of database operations, by operation name.',
    labelNames: ['operation'] as const,
    buckets: durationBuckets,
    registers,
  });
  const dbConnectionErrors = new Counter({
    name: 'db_client_connection_errors_total',
    help: 'Statements that failed because the database could not be reached or the connection broke, by kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const dbSlowOperations = new Counter({
    name: 'db_client_slow_operations_total',
    help: 'Database statements at or over the slow-statement threshold (DB_SLOW_QUERY_MS), by operation name.',
    labelNames: ['operation'] as const,
    registers,
  });
  let poolStats: (() => PoolStats) | undefined;
  new Gauge({
    name: 'db_client_connection_count',
    help: 'Database connections in the pool, by state (idle, used).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const stats = poolStats?.();
      if (!stats) return;
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'used' }, stats.total - stats.idle);
    },
  });
  new Gauge({
    name: 'db_client_connection_pending_requests',
    help: 'Requests waiting for a database connection from the pool.',
    registers,
    collect() {
      const stats = poolStats?.();
      if (stats) this.set(stats.waiting);
    },
  });
  const redisErrors = new Counter({
    name: 'redis_client_errors_total',
    help: 'Redis errors, by kind: connection (the link failed) or command (a command failed or timed out).',
    labelNames: ['kind'] as const,
    registers,
  });
  const cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups, by cache and result (hit, miss).',
    labelNames: ['cache', 'result'] as const,
    registers,
  });
  const authEvents = new Counter({
    name: 'auth_events_total',
    help: 'Authentication events, by event (login, refresh, logout) and outcome (succeeded, failed, reused).',
    labelNames: ['event', 'outcome'] as const,
    registers,
  });
  const geoipDecisions = new Counter({
    name: 'http_geoip_decisions_total',
    help: 'Requests the GeoIP layer served (allowed) or refused (denied), by client country: an ISO 3166-1 alpha-2 code, or unknown.',
    labelNames: ['decision', 'country'] as const,
    registers,
  });
  const vaultRenewalFailures = new Counter({
    name: 'vault_token_renewal_failures_total',
    help: 'Failed renewals of the Vault token or lease; the service keeps the secrets it has until they expire.',
    registers,
  });

  return {
    registry,
    http: { requestDuration, activeRequests, rateLimited },
    /** Reads the pool's counts at each scrape. */
    trackDatabasePool(stats: () => PoolStats) {
      poolStats = stats;
    },
    recordDatabaseOperation(operation: string, seconds: number) {
      dbOperationDuration.observe({ operation }, seconds);
    },
    recordSlowDatabaseOperation(operation: string) {
      dbSlowOperations.inc({ operation });
    },
    recordDatabaseConnectionError(kind: string) {
      dbConnectionErrors.inc({ kind });
    },
    recordRedisError(kind: 'connection' | 'command') {
      redisErrors.inc({ kind });
    },
    recordCacheLookup(cache: string, hit: boolean) {
      cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' });
    },
    recordAuthEvent(event: AuthEvent, outcome: AuthOutcome) {
      authEvents.inc({ event, outcome });
    },
    /** `country` is two capital letters or `unknown` (country-database.ts makes sure): about 250 values at most. */
    recordGeoipDecision(decision: 'allowed' | 'denied', country: string) {
      geoipDecisions.inc({ decision, country });
    },
    recordVaultRenewalFailure() {
      vaultRenewalFailures.inc();
    },
    /**
     * Registers the Vault token metrics, read from the client at each scrape; only processes that use Vault
     * have them (an expiry of 0 would read as long expired).
     */
    trackVaultToken(facts: VaultTokenFacts) {
      let counted = 0;
      new Counter({
        name: 'vault_login_failures_total',
        help: 'Failed Vault Kubernetes auth logins (refused, or no answer); each is retried with backoff.',
        registers,
        // The client counts from its first login, before this registry existed: start-up retries count too.
        collect() {
          const total = facts.loginFailures;
          if (total > counted) this.inc(total - counted);
          counted = Math.max(counted, total);
        },
      });
      new Gauge({
        name: 'vault_token_expiry_timestamp_seconds',
        help: 'Unix time at which the Vault token the process holds expires, as of its last login or renewal (+Inf: never).',
        registers,
        collect() {
          if (facts.tokenExpiresAt !== undefined) this.set(facts.tokenExpiresAt);
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The duration boundaries above, for the other processes' histograms (the worker's job durations). */
export { durationBuckets };
