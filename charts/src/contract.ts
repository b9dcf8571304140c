/**
 * Names and ports that the app, its charts, the Pulumi platform, the policies and Terraform must agree on.
 * One source: every other folder imports these instead of spelling the strings again.
 */
export const stages = ['local', 'dev', 'staging', 'prod'] as const;
export type Stage = (typeof stages)[number];

export const service = {
  name: 'platform-api',
  namespace: 'platform-api',
  serviceAccount: 'platform-api',
  /** Skaffold artifact and image repository name. */
  image: 'platform-api',
  port: 3000,
  paths: {
    live: '/api/v1/health/live',
    ready: '/api/v1/health/ready',
    metrics: '/metrics',
    jwks: '/.well-known/jwks.json',
  },
  /** Process commands inside the image (working directory /app/app). */
  commands: {
    /**
     * A 32 MB young-generation semi-space (Node's default is 16 MB): under load most of a request's objects die
     * young, and fewer scavenges cut the API's CPU per request by a fifth or more (docs/performance.md) for
     * about 32 MB more memory at most.
     */
    serve: ['node', '--max-semi-space-size=32', '--import', './dist/telemetry.js', 'dist/main.js'],
    migrate: ['node', 'dist/cli/db-migrate.js'],
    /** The image's `dev` target: TypeScript sources, restarted by node's watch mode when a file is synced in. */
    dev: ['node', '--watch', '--import', 'tsx', '--import', './src/telemetry.ts', 'src/main.ts'],
    /** The event worker (`npm run worker`), compiled. */
    worker: ['node', '--import', './dist/telemetry.js', 'dist/worker.js'],
    /** The event worker in the `dev` target, restarted like `dev` when a file is synced in. */
    devWorker: ['node', '--watch', '--import', 'tsx', '--import', './src/telemetry.ts', 'src/worker.ts'],
  },
  /**
   * The background worker: same image, service account and Vault role as the API; consumes the event queue and
   * serves only its health routes (the same paths) on its own port (WORKER_PORT).
   */
  worker: {
    name: 'platform-api-worker',
    port: 3001,
  },
  /** Where the image keeps the app workspace; the dev loop syncs `app/src` into `<workdir>/src`. */
  workdir: '/app/app',
  /** Numeric user the image runs as (no name lookup needed for runAsNonRoot). */
  uid: 10001,
} as const;

export const postgres = {
  /** CloudNativePG Cluster name; CNPG derives the `<name>-rw` service from it. */
  cluster: 'platform-db',
  /** The database lives in its own namespace so the service namespace can keep a default-deny NetworkPolicy. */
  namespace: 'postgres',
  rwService: 'platform-db-rw',
  /** CloudNativePG Pooler (PgBouncer, transaction mode); its Service has the Pooler's name. */
  pooler: 'platform-db-pooler',
  port: 5432,
  database: 'app',
  owner: 'app',
  /**
   * The role the service logs in as (DATABASE_URL): owns nothing, may only INSERT/SELECT the audit table. The
   * platform creates it (a CloudNativePG managed role); the migration `20261204120000_runtime_role` grants it.
   */
  runtimeRole: 'platform_api_runtime',
} as const;

export const redis = {
  namespace: 'redis',
  release: 'redis',
  service: 'redis-master',
  port: 6379,
} as const;

export const otel = {
  namespace: 'observability',
  service: 'otel-collector',
  otlpGrpcPort: 4317,
  otlpHttpPort: 4318,
} as const;

export const vault = {
  namespace: 'vault',
  port: 8200,
  kvMount: 'secret',
  kvPath: (stage: Stage) => `platform-api/${stage}`,
  transitMount: 'transit',
  transitKey: 'platform-api',
  authMount: 'kubernetes',
  role: 'platform-api',
  policy: 'platform-api',
} as const;

export const mesh = {
  istioNamespace: 'istio-system',
  ingressNamespace: 'istio-ingress',
  ingressServiceAccount: 'istio-ingress',
  gateway: 'istio-ingress/platform-gateway',
} as const;

export const monitoring = {
  namespace: 'monitoring',
  scraperServiceAccount: 'prometheus',
} as const;
