import type { ServiceObjectives } from '../../src/constructs/alerts/slo.js';
import { postgres, service } from '../../src/contract.js';

/** One synthetic input series in promtool's expanding notation (`0+10x20`: 0, 10, ... 200, a sample a minute). */
export interface Series {
  readonly series: string;
  readonly values: string;
}

/** What one alert must do: fire on one set of series, and stay silent on others close to it. */
export interface AlertCase {
  readonly alert: string;
  readonly firing: {
    readonly series: readonly Series[];
    readonly at: string;
    /** The alert's own labels (severity is added from the rule). */
    readonly labels: Record<string, string>;
    /** The description with its templates expanded: checks the template as well as the value. */
    readonly description: string;
  };
  readonly quiet: ReadonlyArray<{
    readonly why: string;
    readonly series: readonly Series[];
    readonly at: string;
  }>;
}

const text = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
const s = (name: string, labels: Record<string, string>, values: string): Series => ({
  series: `${name}{${text(labels)}}`,
  values,
});

const ns = { namespace: service.namespace };
const api = { ...ns, service: service.name, container: 'api' };
const apiPod = `${service.name}-5d8f7c9b4-x2k9q`;
/** Between releases the canary Service selects the stable pods too: their series arrive twice. */
const canaryService = `${service.name}-canary`;
const worker = { ...ns, container: 'worker', pod: `${service.worker.name}-6c9d8b7f5-q8w2z` };
const pooler = { namespace: postgres.namespace, database: postgres.database, user: postgres.database };
const poolerPod = `${postgres.pooler}-7d9f8c6b5-m4n7p`;

const requests = (route: string, status: string, values: string) =>
  s(
    'http_server_request_duration_seconds_count',
    { ...api, pod: apiPod, method: 'GET', route, status_code: status },
    values,
  );
const bucket = (le: string, values: string) =>
  s(
    'http_server_request_duration_seconds_bucket',
    { ...api, pod: apiPod, method: 'GET', route: '/api/v1/items', status_code: '200', le },
    values,
  );
/** Requests to a user route: `total` a minute, `bad` of them 5xx, for `minutes`. */
const traffic = (total: number, bad: number, minutes: number) => [
  requests('/api/v1/items', '200', `0+${total - bad}x${minutes}`),
  requests('/api/v1/items', '500', `0+${bad}x${minutes}`),
];
const dbBuckets = (fast: number, slow: number) => [
  s(
    'db_client_operation_duration_seconds_bucket',
    { ...api, pod: apiPod, operation: 'select', le: '0.25' },
    `0+${fast}x30`,
  ),
  s(
    'db_client_operation_duration_seconds_bucket',
    { ...api, pod: apiPod, operation: 'select', le: '0.5' },
    `0+${fast}x30`,
  ),
  s(
    'db_client_operation_duration_seconds_bucket',
    { ...api, pod: apiPod, operation: 'select', le: '1' },
    `0+${fast + slow}x30`,
  ),
  s(
    'db_client_operation_duration_seconds_bucket',
    { ...api, pod: apiPod, operation: 'select', le: '+Inf' },
    `0+${fast + slow}x30`,
  ),
];
const auth = (event: string, outcome: string, values: string, through: string = service.name) =>
  s('auth_events_total', { ...api, service: through, pod: apiPod, event, outcome }, values);
const day = 86_400;
const certificate = (expiresAt: number) =>
  s(
    'certmanager_certificate_expiration_timestamp_seconds',
    {
      namespace: 'cert-manager',
      exported_namespace: 'istio-ingress',
      name: 'api-tls',
      issuer_name: 'letsencrypt',
      issuer_kind: 'ClusterIssuer',
      issuer_group: 'cert-manager.io',
    },
    `${expiresAt}x90`,
  );
const meshRoot = (expiresAt: number) =>
  s(
    'citadel_server_root_cert_expiry_timestamp',
    { namespace: 'istio-system', pod: 'istiod-5f4d9c8b7-k2j4h' },
    `${expiresAt}x90`,
  );

/** The alerts whose thresholds are fixed in the rules: the same cases for every stage. */
const dependencyCases: readonly AlertCase[] = [
  {
    alert: 'PlatformApiHighErrorRate',
    firing: {
      series: traffic(100, 10, 20),
      at: '15m',
      labels: {},
      description: 'The share of 5xx responses over the last 5 minutes is 10%.',
    },
    quiet: [{ why: '4% of requests fail', series: traffic(100, 4, 20), at: '15m' }],
  },
  {
    alert: 'PlatformApiHighLatency',
    firing: {
      series: [
        s('http_server_request_duration_seconds_bucket', { ...api, pod: apiPod, le: '1' }, '0x30'),
        s('http_server_request_duration_seconds_bucket', { ...api, pod: apiPod, le: '2.5' }, '0+10x30'),
        s('http_server_request_duration_seconds_bucket', { ...api, pod: apiPod, le: '+Inf' }, '0+10x30'),
      ],
      at: '20m',
      labels: {},
      description: 'The 95th percentile of request duration is 2.425s.',
    },
    quiet: [
      {
        why: 'every request within 0.5 s',
        series: [bucket('0.5', '0+10x30'), bucket('1', '0+10x30'), bucket('+Inf', '0+10x30')],
        at: '20m',
      },
    ],
  },
  {
    alert: 'PlatformApiNotReady',
    firing: {
      series: [s('kube_pod_status_ready', { ...ns, pod: apiPod, condition: 'false' }, '1x10')],
      at: '10m',
      labels: { pod: apiPod },
      description: `Pod ${apiPod} is not ready: it receives no traffic and its dependencies may be down.`,
    },
    quiet: [
      {
        why: 'only the worker and a finished migration Job pod are not ready',
        series: [
          s(
            'kube_pod_status_ready',
            { ...ns, pod: `${service.worker.name}-5d8f7c9b4-x2k9q`, condition: 'false' },
            '1x10',
          ),
          s(
            'kube_pod_status_ready',
            { ...ns, pod: `${service.name}-migrate-3f3f3f3f-7kq2p`, condition: 'false' },
            '1x10',
          ),
          s('kube_pod_status_ready', { ...ns, pod: apiPod, condition: 'false' }, '0x10'),
        ],
        at: '10m',
      },
    ],
  },
  {
    alert: 'PlatformApiMemoryNearLimit',
    firing: {
      series: [
        s('container_memory_working_set_bytes', { ...ns, pod: apiPod, container: 'api' }, '900x20'),
        s(
          'kube_pod_container_resource_limits',
          { ...ns, pod: apiPod, container: 'api', resource: 'memory' },
          '1000x20',
        ),
      ],
      at: '20m',
      labels: { pod: apiPod },
      description: `Pod ${apiPod} uses 90% of its memory limit; the next step is an OOM kill.`,
    },
    quiet: [
      {
        why: 'at 70% of the limit',
        series: [
          s('container_memory_working_set_bytes', { ...ns, pod: apiPod, container: 'api' }, '700x20'),
          s(
            'kube_pod_container_resource_limits',
            { ...ns, pod: apiPod, container: 'api', resource: 'memory' },
            '1000x20',
          ),
        ],
        at: '20m',
      },
    ],
  },
  {
    alert: 'PlatformDatabasePoolSaturated',
    firing: {
      series: [s('db_client_connection_pending_requests', { ...api, pod: apiPod }, '3x10')],
      at: '6m',
      labels: { pod: apiPod },
      description: `Pod ${apiPod} has had requests queued for a pool connection at every scrape (3 now): every connection is busy, or new ones fail to open.`,
    },
    quiet: [
      {
        why: 'the queue empties between bursts',
        series: [
          s('db_client_connection_pending_requests', { ...api, pod: apiPod }, '3 3 3 3 0 3 3 3 3 3 3'),
        ],
        at: '8m',
      },
    ],
  },
  {
    alert: 'PlatformDatabaseConnectionErrors',
    firing: {
      series: [
        s(
          'db_client_connection_errors_total',
          { ...api, pod: apiPod, kind: 'DatabaseNotReachable' },
          '0+4x20',
        ),
      ],
      at: '15m',
      labels: { pod: apiPod, kind: 'DatabaseNotReachable' },
      description: `Pod ${apiPod} had 20 statements fail in 5 minutes with DatabaseNotReachable, for 5 minutes: requests that need the database answer 503.`,
    },
    quiet: [
      {
        why: 'a failover breaks a few statements once',
        series: [
          s(
            'db_client_connection_errors_total',
            { ...api, pod: apiPod, kind: 'postgres_57P01' },
            '0 0 4 4x18',
          ),
        ],
        at: '15m',
      },
    ],
  },
  {
    alert: 'PlatformDatabaseSlowOperations',
    firing: {
      series: dbBuckets(0, 10),
      at: '20m',
      labels: {},
      description: 'The 99th percentile of database statements takes 995ms.',
    },
    quiet: [{ why: 'every statement within 0.25 s', series: dbBuckets(10, 0), at: '20m' }],
  },
  {
    alert: 'PlatformPgBouncerDown',
    firing: {
      series: [s('cnpg_pgbouncer_up', { namespace: postgres.namespace, pod: poolerPod }, '0x10')],
      at: '5m',
      labels: { pod: poolerPod },
      description: `Pooler pod ${poolerPod} reports PgBouncer down: connections through ${postgres.pooler} fail.`,
    },
    quiet: [
      {
        why: 'PgBouncer up',
        series: [s('cnpg_pgbouncer_up', { namespace: postgres.namespace, pod: poolerPod }, '1x10')],
        at: '5m',
      },
    ],
  },
  {
    alert: 'PlatformPgBouncerClientsWaiting',
    firing: {
      series: [s('cnpg_pgbouncer_pools_cl_waiting', { ...pooler, pod: poolerPod }, '4x10')],
      at: '6m',
      labels: { pod: poolerPod },
      description: `Pooler pod ${poolerPod} has had clients of database ${postgres.database} waiting at every scrape (4 now): the pool is too small for the load or PostgreSQL answers slowly.`,
    },
    quiet: [
      {
        why: 'waiting only in bursts, and on the admin database',
        series: [
          s('cnpg_pgbouncer_pools_cl_waiting', { ...pooler, pod: poolerPod }, '4 4 4 0 4 4 4 4 4 4'),
          s('cnpg_pgbouncer_pools_cl_waiting', { ...pooler, database: 'pgbouncer', pod: poolerPod }, '4x10'),
        ],
        at: '7m',
      },
    ],
  },
  {
    alert: 'PlatformRedisUnavailable',
    firing: {
      series: [s('redis_client_errors_total', { ...api, pod: apiPod, kind: 'connection' }, '0+6x20')],
      at: '15m',
      labels: { pod: apiPod },
      description: `Pod ${apiPod} has logged 30 Redis connection errors in 5 minutes, for 5 minutes: caches are bypassed and rate limits follow the tier policy.`,
    },
    quiet: [
      {
        why: 'commands time out but the connection holds, and one reconnect long ago',
        series: [
          s('redis_client_errors_total', { ...api, pod: apiPod, kind: 'command' }, '0+6x20'),
          s('redis_client_errors_total', { ...api, pod: apiPod, kind: 'connection' }, '0 1x20'),
        ],
        at: '15m',
      },
    ],
  },
  {
    alert: 'PlatformVaultLoginFailing',
    firing: {
      series: [s('vault_login_failures_total', { ...api, pod: apiPod }, '0+1x30')],
      at: '25m',
      labels: { pod: apiPod },
      description: `Pod ${apiPod} failed 10 Vault logins in the last 10 minutes and has not recovered.`,
    },
    quiet: [
      {
        why: 'one failure, recovered long ago',
        series: [s('vault_login_failures_total', { ...api, pod: apiPod }, '0 0 1x28')],
        at: '25m',
      },
    ],
  },
  {
    alert: 'PlatformVaultRenewalFailing',
    firing: {
      series: [s('vault_token_renewal_failures_total', { ...api, pod: apiPod }, '0x30 1 2 3 4x10')],
      at: '40m',
      labels: { pod: apiPod },
      description: `Pod ${apiPod} failed 4 token renewals in 30 minutes; each one forces a new login.`,
    },
    quiet: [
      {
        why: 'two failures in 30 minutes',
        series: [s('vault_token_renewal_failures_total', { ...api, pod: apiPod }, '0x30 1 2x10')],
        at: '40m',
      },
      {
        why: 'two failures, the pod scraped through both the stable and the canary Service',
        series: [
          s('vault_token_renewal_failures_total', { ...api, pod: apiPod }, '0x30 1 2x10'),
          s(
            'vault_token_renewal_failures_total',
            { ...api, service: canaryService, pod: apiPod },
            '0x30 1 2x10',
          ),
        ],
        at: '40m',
      },
    ],
  },
  {
    alert: 'PlatformVaultTokenExpiringSoon',
    firing: {
      series: [s('vault_token_expiry_timestamp_seconds', { ...api, pod: apiPod }, '900x10')],
      at: '8m',
      labels: { pod: apiPod },
      description: `The Vault token of pod ${apiPod} expires in 7m 0s: renewal is not keeping up, and secrets can no longer be read or rotated once it lapses.`,
    },
    quiet: [
      {
        why: 'renewals keep moving the expiry ahead',
        series: [s('vault_token_expiry_timestamp_seconds', { ...api, pod: apiPod }, '3600+60x20')],
        at: '15m',
      },
    ],
  },
  {
    alert: 'PlatformOutboxLagging',
    firing: {
      series: [s('outbox_oldest_pending_age_seconds', worker, '0+60x20')],
      at: '10m',
      labels: {},
      description:
        'The oldest pending outbox event has waited 10m 0s: consumers of the events see stale state.',
    },
    quiet: [
      {
        why: 'events leave within seconds; an API pod reporting an old age is not the worker',
        series: [
          s('outbox_oldest_pending_age_seconds', worker, '5x20'),
          s('outbox_oldest_pending_age_seconds', { ...api, pod: apiPod }, '600x20'),
        ],
        at: '10m',
      },
    ],
  },
  {
    alert: 'PlatformJobsDeadLettered',
    firing: {
      series: [
        s('worker_jobs_total', { ...worker, queue: 'domain-events', outcome: 'dead_lettered' }, '0x5 2x10'),
      ],
      at: '10m',
      labels: { queue: 'domain-events' },
      description:
        '2 jobs of queue domain-events were dead-lettered in the last 15 minutes; their effects will not happen until they are replayed.',
    },
    quiet: [
      {
        why: 'jobs retried, none dead-lettered',
        series: [
          s('worker_jobs_total', { ...worker, queue: 'domain-events', outcome: 'retried' }, '0+3x15'),
          s('worker_jobs_total', { ...worker, queue: 'domain-events', outcome: 'dead_lettered' }, '0x15'),
        ],
        at: '10m',
      },
    ],
  },
  {
    alert: 'PlatformQueueBacklog',
    firing: {
      series: [s('worker_queue_jobs', { ...worker, queue: 'domain-events', state: 'waiting' }, '1500x20')],
      at: '15m',
      labels: { queue: 'domain-events' },
      description: 'Queue domain-events has 1.5k jobs waiting: the workers do not keep up with the events.',
    },
    quiet: [
      {
        why: 'many delayed jobs (scheduled retries), few waiting',
        series: [
          s('worker_queue_jobs', { ...worker, queue: 'domain-events', state: 'waiting' }, '10x20'),
          s('worker_queue_jobs', { ...worker, queue: 'domain-events', state: 'delayed' }, '5000x20'),
        ],
        at: '15m',
      },
    ],
  },
  {
    alert: 'PlatformLoginFailureSpike',
    firing: {
      series: [auth('login', 'failed', '0+120x20'), auth('login', 'succeeded', '0+60x20')],
      at: '15m',
      labels: {},
      description: 'Failed logins run at 2/s: credential stuffing or a broken login path.',
    },
    quiet: [
      {
        why: 'a busy morning: many failures, most logins succeed',
        series: [auth('login', 'failed', '0+120x20'), auth('login', 'succeeded', '0+360x20')],
        at: '15m',
      },
      { why: 'a few failed logins at night', series: [auth('login', 'failed', '0+30x20')], at: '15m' },
    ],
  },
  {
    alert: 'PlatformRefreshTokenReused',
    firing: {
      // One reuse, on a pod scraped through both Services: counted once.
      series: [auth('refresh', 'reused', '0x3 1x10'), auth('refresh', 'reused', '0x3 1x10', canaryService)],
      at: '5m',
      labels: {},
      description:
        '1 refresh tokens were reused in the last 15 minutes; each session family was revoked. Someone may hold copied tokens.',
    },
    quiet: [
      {
        why: 'refreshes fail (expired sessions), none reused',
        series: [auth('refresh', 'failed', '0+5x10'), auth('refresh', 'reused', '0x10')],
        at: '5m',
      },
    ],
  },
  {
    alert: 'PlatformCertificateExpiringSoon',
    firing: {
      series: [certificate(10 * day)],
      at: '70m',
      labels: {
        namespace: 'cert-manager',
        exported_namespace: 'istio-ingress',
        name: 'api-tls',
        issuer_name: 'letsencrypt',
        issuer_kind: 'ClusterIssuer',
        issuer_group: 'cert-manager.io',
      },
      description:
        'Certificate api-tls (issuer letsencrypt) expires at 1970-01-11 00:00:00 +0000 UTC: cert-manager has not renewed it.',
    },
    quiet: [
      { why: 'renewed: 60 days left', series: [certificate(60 * day)], at: '70m' },
      { why: 'not issued yet (cert-manager reports 0)', series: [certificate(0)], at: '70m' },
    ],
  },
  {
    alert: 'PlatformMeshRootCertExpiringSoon',
    firing: {
      series: [meshRoot(20 * day)],
      at: '70m',
      labels: {},
      description:
        'The mesh root certificate expires in 19d 22h 50m 0s; after that no workload certificate validates and mTLS fails everywhere.',
    },
    quiet: [{ why: 'ten years left', series: [meshRoot(3650 * day)], at: '70m' }],
  },
];

/** Requests a minute in the burn-rate cases: enough for a bad share of a tenth of the smallest budget. */
const perMinute = 100_000;
const tidy = (n: number) => Number(n.toPrecision(10));
/** Prometheus's humanizePercentage: `%.4g%%` of the value times 100. */
const percent = (ratio: number) => `${Number((ratio * 100).toPrecision(4))}%`;

/** Latency histogram of a user route: `slow` of `total` a minute above the threshold bucket `le`. */
const latency = (le: number, total: number, slow: number, minutes: number) => [
  bucket(String(le), `0+${total - slow}x${minutes}`),
  bucket('+Inf', `0+${total}x${minutes}`),
  requests('/api/v1/items', '200', `0+${total}x${minutes}`),
];

/**
 * Budget-burn cases for a stage's objectives: bad shares as multiples of its budget, so the same cases hold
 * for any target. Fast: 20x fires (over 14.4x), 4x stays under the 6x pair. Slow: 4x fires (over 3x), half
 * the budget stays silent.
 */
function burnCases(objectives: ServiceObjectives): AlertCase[] {
  const budgets = {
    Availability: tidy(1 - objectives.availability),
    Latency: tidy(1 - objectives.latency.target),
  };
  const le = objectives.latency.thresholdSeconds;
  const bad = (budget: number, times: number) => Math.min(perMinute, Math.round(budget * times * perMinute));
  const what = { Availability: 'requests failing with 5xx', Latency: `requests slower than ${le}s` };
  const series = (indicator: keyof typeof budgets, badPerMinute: number, minutes: number) =>
    indicator === 'Availability'
      ? traffic(perMinute, badPerMinute, minutes)
      : latency(le, perMinute, badPerMinute, minutes);
  const description = (indicator: keyof typeof budgets, badPerMinute: number) =>
    `${percent(badPerMinute / perMinute)} of user requests are ${what[indicator]}; the objective allows ${tidy(budgets[indicator] * 100)}% over 30 days.`;

  return (['Availability', 'Latency'] as const).flatMap((indicator) => {
    const budget = budgets[indicator];
    const fast = bad(budget, 20);
    const slow = bad(budget, 4);
    const good = perMinute - fast;
    // The multi-window logic and the exclusion of probes are the same for both indicators: shown once.
    const availabilityOnly =
      indicator === 'Availability'
        ? [
            {
              why: 'an hour at 20x that ended 40 minutes ago: the 6h window still shows it, the 30m window clears it',
              series: [
                requests('/api/v1/items', '200', `0+${good}x60 ${good * 60}+${perMinute}x40`),
                requests('/api/v1/items', '500', `0+${fast}x60 ${fast * 60}x40`),
              ],
              at: '100m',
            },
            {
              why: 'only the health probes fail',
              series: [
                ...traffic(perMinute, 0, 90),
                requests('/api/v1/health/ready', '503', `0+${perMinute}x90`),
              ],
              at: '70m',
            },
          ]
        : [];
    const fastCase: AlertCase = {
      alert: `PlatformApi${indicator}BudgetBurnFast`,
      firing: {
        series: series(indicator, fast, 90),
        at: '70m',
        labels: {},
        description: description(indicator, fast),
      },
      quiet: [
        { why: '4x the budget: under the 6x pair', series: series(indicator, slow, 90), at: '70m' },
        ...availabilityOnly,
      ],
    };
    const slowCase: AlertCase = {
      alert: `PlatformApi${indicator}BudgetBurnSlow`,
      firing: {
        series: series(indicator, slow, 180),
        at: '150m',
        labels: {},
        description: description(indicator, slow),
      },
      quiet: [{ why: 'half the budget', series: series(indicator, bad(budget, 0.5), 180), at: '150m' }],
    };
    return [fastCase, slowCase];
  });
}

/** Every alert's case for a stage with these objectives. */
export function alertCasesFor(objectives: ServiceObjectives): AlertCase[] {
  return [...dependencyCases, ...burnCases(objectives)];
}
