import { type Stage, stages } from '../contract.js';
import { type Environment, environmentSchema } from './environment-schema.js';
import { type StageOverride, withOverrides } from './stage-override.js';

/**
 * Every difference between environments, as data: one base (a shared cluster stage) and what each stage
 * changes on it. Constructs read their slice and never branch on the name. Numbers are starting points: revisit
 * them with load-test results, not by editing code.
 */
const base = {
  image: { requireDigest: true, pullPolicy: 'IfNotPresent' },
  replicas: { min: 1, max: 2, targetCpuUtilization: 70 },
  disruption: { maxUnavailable: 1 },
  // kind and minikube nodes carry no zone label; a hard constraint would leave pods pending there.
  spread: { zone: 'ScheduleAnyway', node: 'ScheduleAnyway' },
  resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  shutdown: { drainTimeoutMs: 10_000, preStopSeconds: 5 },
  app: {
    logLevel: 'info',
    logFormat: 'json',
    docsEnabled: true,
    extraAllowedHosts: [],
    trustedProxies: ['127.0.0.6'],
    proxyMaxIps: 1,
  },
  mesh: {
    mtls: 'STRICT',
    requestTimeout: '15s',
    retries: { attempts: 2, perTryTimeout: '5s' },
    connectionPool: { maxConnections: 200, http1MaxPendingRequests: 200, maxRequestsPerConnection: 0 },
    outlierDetection: {
      consecutive5xxErrors: 5,
      interval: '10s',
      baseEjectionTime: '30s',
      maxEjectionPercent: 50,
    },
  },
  telemetry: { otlpProtocol: 'http/protobuf' },
  migration: { backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3_600 },
  monitoring: { enabled: true, scrapeInterval: '30s', alertSeverity: 'info' },
  slo: { availability: 0.99, latency: { thresholdSeconds: 0.5, target: 0.95 } },
  worker: {
    replicas: 1,
    resources: { requests: { cpu: '50m', memory: '160Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
    concurrency: 5,
    lockDurationMs: 30_000,
  },
  canary: {
    enabled: true,
    steps: [
      { weight: 10, pause: '2m' },
      { weight: 25, pause: '3m' },
      { weight: 50, pause: '5m' },
    ],
    progressDeadlineSeconds: 600,
    analysis: {
      prometheusAddress: 'http://prometheus-operated.monitoring.svc.cluster.local:9090',
      interval: '1m',
      window: '2m',
      maxErrorRatio: 0.01,
      maxP99Seconds: 1,
      failureLimit: 1,
      minRequests: 20,
    },
  },
  devLoop: { syncSources: false },
} as const satisfies StageOverride<Environment>;

/** A shared stage's public names all hang off its domain; its Vault runs outside the cluster, in `vaultCidr`. */
function publicDomain(domain: string, vaultCidr: string) {
  return {
    app: { corsOrigins: [`https://app.${domain}`] },
    mesh: { hosts: [`api.${domain}`], publicOrigin: `https://api.${domain}` },
    vault: { address: `https://vault.${domain}:8200`, network: { placement: 'external', cidr: vaultCidr } },
  } as const satisfies StageOverride<Environment>;
}

const overrides = {
  local: {
    name: 'local',
    image: { requireDigest: false },
    replicas: { max: 1 },
    shutdown: { preStopSeconds: 3 },
    app: {
      logLevel: 'debug',
      logFormat: 'pretty',
      corsOrigins: ['http://localhost:3000'],
      // `skaffold dev` port-forwards the service to localhost.
      extraAllowedHosts: ['localhost'],
    },
    mesh: {
      mtls: 'PERMISSIVE',
      // The gateway's in-cluster name doubles as the host, so istiod can fetch the JWKS without public DNS.
      hosts: ['istio-ingress.istio-ingress.svc.cluster.local', 'platform-api.localtest.me'],
      publicOrigin: 'http://istio-ingress.istio-ingress.svc.cluster.local',
      requestTimeout: '30s',
      retries: { attempts: 0, perTryTimeout: '30s' },
      connectionPool: { maxConnections: 100, http1MaxPendingRequests: 100 },
      outlierDetection: { maxEjectionPercent: 100 },
    },
    vault: { address: 'http://vault.vault.svc.cluster.local:8200', network: { placement: 'in-cluster' } },
    migration: { backoffLimit: 1, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 600 },
    monitoring: { enabled: false },
    devLoop: { syncSources: true },
    // Nothing to analyse without Prometheus; Skaffold's loop wants each build running at once.
    canary: { enabled: false },
  },
  dev: [
    publicDomain('dev.platform.example.com', '10.40.0.0/24'),
    // dev takes every merge: a plain rolling update, no canary objects.
    { name: 'dev', app: { logLevel: 'debug' }, canary: { enabled: false } },
  ],
  staging: [
    publicDomain('staging.platform.example.com', '10.41.0.0/24'),
    {
      name: 'staging',
      replicas: { min: 2, max: 4 },
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
      mesh: { connectionPool: { maxConnections: 500, http1MaxPendingRequests: 500 } },
      migration: { ttlSecondsAfterFinished: 86_400 },
      monitoring: { alertSeverity: 'warning' },
      slo: { availability: 0.995, latency: { target: 0.99 } },
      // Staging's traffic is thin and partly synthetic: looser thresholds, fewer requests to judge on.
      canary: { analysis: { maxErrorRatio: 0.05, maxP99Seconds: 1.5, minRequests: 10 } },
      worker: {
        replicas: 2,
        resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      },
    },
  ],
  prod: [
    publicDomain('platform.example.com', '10.42.0.0/24'),
    {
      name: 'prod',
      replicas: { min: 3, max: 10, targetCpuUtilization: 65 },
      spread: { zone: 'DoNotSchedule' },
      resources: { requests: { cpu: '500m', memory: '384Mi' }, limits: { cpu: '2', memory: '768Mi' } },
      shutdown: { drainTimeoutMs: 15_000 },
      app: { docsEnabled: false },
      mesh: {
        connectionPool: { maxConnections: 1_000, http1MaxPendingRequests: 1_000 },
        outlierDetection: { maxEjectionPercent: 34 },
      },
      migration: { activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 604_800 },
      monitoring: { scrapeInterval: '15s', alertSeverity: 'critical' },
      slo: { availability: 0.999, latency: { target: 0.99 } },
      // Smaller first step and longer holds: a bad release reaches fewer users and has more time to show.
      canary: {
        steps: [
          { weight: 5, pause: '5m' },
          { weight: 20, pause: '5m' },
          { weight: 50, pause: '10m' },
        ],
        analysis: { interval: '30s', window: '1m', failureLimit: 0 },
      },
      worker: {
        replicas: 2,
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        concurrency: 10,
      },
    },
  ],
} as const satisfies Record<Stage, StageOverride<Environment> | readonly StageOverride<Environment>[]>;

/** Parsed once at import: a typo in the data fails every consumer loudly, with the path of the bad field. */
function environmentOf(stage: Stage): Environment {
  const override: StageOverride<Environment> | readonly StageOverride<Environment>[] = overrides[stage];
  const layers = Array.isArray(override) ? override : [override];
  return environmentSchema.parse(withOverrides(base, ...layers));
}

export const environments: Readonly<Record<Stage, Environment>> = Object.freeze(
  Object.fromEntries(stages.map((stage) => [stage, environmentOf(stage)])) as Record<Stage, Environment>,
);

/** Where the runbooks linked from alerts are published (the repository's docs/ folder). */
export const runbookBaseUrl = 'https://github.com/platform-org/platform/blob/main/docs/runbooks';
