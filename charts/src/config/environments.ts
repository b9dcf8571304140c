import type { Stage } from '../contract.js';
import { type Environment, environmentSchema } from './environment-schema.js';

/**
 * Every difference between environments, as data. Constructs read their slice and never branch on the name.
 * Numbers are starting points: revisit them with load-test results, not by editing code.
 */
const data = {
  local: {
    name: 'local',
    image: { requireDigest: false, pullPolicy: 'IfNotPresent' },
    replicas: { min: 1, max: 1, targetCpuUtilization: 70 },
    disruption: { maxUnavailable: 1 },
    // kind and minikube nodes carry no zone label; a hard constraint would leave pods pending.
    spread: { zone: 'ScheduleAnyway', node: 'ScheduleAnyway' },
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    shutdown: { drainTimeoutMs: 10_000, preStopSeconds: 3 },
    app: {
      logLevel: 'debug',
      logFormat: 'pretty',
      docsEnabled: true,
      corsOrigins: ['http://localhost:3000'],
      // `skaffold dev` port-forwards the service to localhost.
      extraAllowedHosts: ['localhost'],
      trustedProxies: ['127.0.0.6'],
      proxyMaxIps: 1,
    },
    mesh: {
      mtls: 'PERMISSIVE',
      // The gateway's in-cluster name doubles as the host, so istiod can fetch the JWKS without public DNS.
      hosts: ['istio-ingress.istio-ingress.svc.cluster.local', 'platform-api.localtest.me'],
      publicOrigin: 'http://istio-ingress.istio-ingress.svc.cluster.local',
      requestTimeout: '30s',
      retries: { attempts: 0, perTryTimeout: '30s' },
      connectionPool: { maxConnections: 100, http1MaxPendingRequests: 100, maxRequestsPerConnection: 0 },
      outlierDetection: {
        consecutive5xxErrors: 5,
        interval: '10s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 100,
      },
    },
    vault: { address: 'http://vault.vault.svc.cluster.local:8200', network: { placement: 'in-cluster' } },
    telemetry: { otlpProtocol: 'http/protobuf' },
    migration: { backoffLimit: 1, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 600 },
    monitoring: { enabled: false, scrapeInterval: '30s', alertSeverity: 'info' },
    worker: {
      replicas: 1,
      resources: { requests: { cpu: '50m', memory: '160Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
      concurrency: 5,
      lockDurationMs: 30_000,
    },
    devLoop: { syncSources: true },
  },
  dev: {
    name: 'dev',
    image: { requireDigest: true, pullPolicy: 'IfNotPresent' },
    replicas: { min: 1, max: 2, targetCpuUtilization: 70 },
    disruption: { maxUnavailable: 1 },
    spread: { zone: 'ScheduleAnyway', node: 'ScheduleAnyway' },
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    shutdown: { drainTimeoutMs: 10_000, preStopSeconds: 5 },
    app: {
      logLevel: 'debug',
      logFormat: 'json',
      docsEnabled: true,
      corsOrigins: ['https://app.dev.platform.example.com'],
      extraAllowedHosts: [],
      trustedProxies: ['127.0.0.6'],
      proxyMaxIps: 1,
    },
    mesh: {
      mtls: 'STRICT',
      hosts: ['api.dev.platform.example.com'],
      publicOrigin: 'https://api.dev.platform.example.com',
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
    vault: {
      address: 'https://vault.dev.platform.example.com:8200',
      network: { placement: 'external', cidr: '10.40.0.0/24' },
    },
    telemetry: { otlpProtocol: 'http/protobuf' },
    migration: { backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3_600 },
    monitoring: { enabled: true, scrapeInterval: '30s', alertSeverity: 'info' },
    worker: {
      replicas: 1,
      resources: { requests: { cpu: '50m', memory: '160Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
      concurrency: 5,
      lockDurationMs: 30_000,
    },
    devLoop: { syncSources: false },
  },
  staging: {
    name: 'staging',
    image: { requireDigest: true, pullPolicy: 'IfNotPresent' },
    replicas: { min: 2, max: 4, targetCpuUtilization: 70 },
    disruption: { maxUnavailable: 1 },
    spread: { zone: 'ScheduleAnyway', node: 'ScheduleAnyway' },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    shutdown: { drainTimeoutMs: 10_000, preStopSeconds: 5 },
    app: {
      logLevel: 'info',
      logFormat: 'json',
      docsEnabled: true,
      corsOrigins: ['https://app.staging.platform.example.com'],
      extraAllowedHosts: [],
      trustedProxies: ['127.0.0.6'],
      proxyMaxIps: 1,
    },
    mesh: {
      mtls: 'STRICT',
      hosts: ['api.staging.platform.example.com'],
      publicOrigin: 'https://api.staging.platform.example.com',
      requestTimeout: '15s',
      retries: { attempts: 2, perTryTimeout: '5s' },
      connectionPool: { maxConnections: 500, http1MaxPendingRequests: 500, maxRequestsPerConnection: 0 },
      outlierDetection: {
        consecutive5xxErrors: 5,
        interval: '10s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 50,
      },
    },
    vault: {
      address: 'https://vault.staging.platform.example.com:8200',
      network: { placement: 'external', cidr: '10.41.0.0/24' },
    },
    telemetry: { otlpProtocol: 'http/protobuf' },
    migration: { backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86_400 },
    monitoring: { enabled: true, scrapeInterval: '30s', alertSeverity: 'warning' },
    worker: {
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      concurrency: 5,
      lockDurationMs: 30_000,
    },
    devLoop: { syncSources: false },
  },
  prod: {
    name: 'prod',
    image: { requireDigest: true, pullPolicy: 'IfNotPresent' },
    replicas: { min: 3, max: 10, targetCpuUtilization: 65 },
    disruption: { maxUnavailable: 1 },
    spread: { zone: 'DoNotSchedule', node: 'ScheduleAnyway' },
    resources: { requests: { cpu: '500m', memory: '384Mi' }, limits: { cpu: '2', memory: '768Mi' } },
    shutdown: { drainTimeoutMs: 15_000, preStopSeconds: 5 },
    app: {
      logLevel: 'info',
      logFormat: 'json',
      docsEnabled: false,
      corsOrigins: ['https://app.platform.example.com'],
      extraAllowedHosts: [],
      trustedProxies: ['127.0.0.6'],
      proxyMaxIps: 1,
    },
    mesh: {
      mtls: 'STRICT',
      hosts: ['api.platform.example.com'],
      publicOrigin: 'https://api.platform.example.com',
      requestTimeout: '15s',
      retries: { attempts: 2, perTryTimeout: '5s' },
      connectionPool: { maxConnections: 1_000, http1MaxPendingRequests: 1_000, maxRequestsPerConnection: 0 },
      outlierDetection: {
        consecutive5xxErrors: 5,
        interval: '10s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 34,
      },
    },
    vault: {
      address: 'https://vault.platform.example.com:8200',
      network: { placement: 'external', cidr: '10.42.0.0/24' },
    },
    telemetry: { otlpProtocol: 'http/protobuf' },
    migration: { backoffLimit: 2, activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 604_800 },
    monitoring: { enabled: true, scrapeInterval: '15s', alertSeverity: 'critical' },
    worker: {
      replicas: 2,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      concurrency: 10,
      lockDurationMs: 30_000,
    },
    devLoop: { syncSources: false },
  },
} satisfies Record<Stage, Environment>;

/** Parsed once at import: a typo in the data fails every consumer loudly, with the path of the bad field. */
export const environments: Readonly<Record<Stage, Environment>> = Object.freeze({
  local: environmentSchema.parse(data.local),
  dev: environmentSchema.parse(data.dev),
  staging: environmentSchema.parse(data.staging),
  prod: environmentSchema.parse(data.prod),
});

/** Where the runbooks linked from alerts are published (the repository's docs/ folder). */
export const runbookBaseUrl = 'https://github.com/platform-org/platform/blob/main/docs/runbooks';
