import type { Environment } from '../config/environment-schema.js';
import { otel, type Stage, service, vault } from '../contract.js';
import { serviceHost } from './cluster-dns.js';

/**
 * The non-secret environment variables of the service in a cluster (its ConfigMap). Secrets (database URLs,
 * Redis password, JWT keys) are read from Vault by the app itself with its Kubernetes service account.
 */
export type AppSettings = Readonly<Record<string, string>>;

export function otlpEndpoint(env: Environment): string {
  const port = env.telemetry.otlpProtocol === 'grpc' ? otel.otlpGrpcPort : otel.otlpHttpPort;
  return `http://${serviceHost(otel.service, otel.namespace)}:${port}`;
}

export function allowedHosts(env: Environment): string[] {
  const inCluster = [
    service.name,
    `${service.name}.${service.namespace}`,
    serviceHost(service.name, service.namespace),
  ];
  return [...env.mesh.hosts, ...inCluster, ...env.app.extraAllowedHosts];
}

export function appSettings(env: Environment): AppSettings {
  const stage: Stage = env.name;
  return {
    APP_ENV: stage,
    HOST: '0.0.0.0',
    PORT: String(service.port),
    LOG_LEVEL: env.app.logLevel,
    LOG_FORMAT: env.app.logFormat,
    // A cluster always has Postgres (through the pooler); the embedded database is for laptops only.
    DATABASE_KIND: 'postgres',
    SHUTDOWN_TIMEOUT_MS: String(env.shutdown.drainTimeoutMs),
    TRUSTED_PROXIES: env.app.trustedProxies.join(','),
    PROXY_MAX_IPS: String(env.app.proxyMaxIps),
    ALLOWED_HOSTS: allowedHosts(env).join(','),
    CORS_ORIGINS: env.app.corsOrigins.join(','),
    DOCS_ENABLED: String(env.app.docsEnabled),
    // The mesh checks tokens at the edge with the same issuer and audience (RequestAuthentication).
    JWT_ISSUER: env.mesh.publicOrigin,
    JWT_AUDIENCE: service.name,
    RATE_LIMIT_STORE: 'redis',
    // Read by the worker process only; the API ignores them.
    WORKER_PORT: String(service.worker.port),
    WORKER_CONCURRENCY: String(env.worker.concurrency),
    WORKER_LOCK_DURATION_MS: String(env.worker.lockDurationMs),
    VAULT_ADDR: env.vault.address,
    VAULT_AUTH_METHOD: 'kubernetes',
    VAULT_K8S_ROLE: vault.role,
    VAULT_K8S_MOUNT: vault.authMount,
    VAULT_KV_MOUNT: vault.kvMount,
    VAULT_KV_PATH: vault.kvPath(stage),
    VAULT_TRANSIT_KEY: vault.transitKey,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint(env),
    OTEL_EXPORTER_OTLP_PROTOCOL: env.telemetry.otlpProtocol,
    OTEL_SERVICE_NAME: service.name,
  };
}

/** A setting other objects are derived from; its absence is a bug in the chart, not in the environment. */
export function requiredSetting(settings: AppSettings, key: string): string {
  const value = settings[key];
  if (value === undefined) throw new Error(`setting ${key} is missing`);
  return value;
}
