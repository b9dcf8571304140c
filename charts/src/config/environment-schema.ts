import { z } from 'zod';
import { stages } from '../contract.js';

const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|Mi|Gi|Ki)?$/, 'a Kubernetes quantity such as 250m or 256Mi');
const duration = z.string().regex(/^[0-9]+(ms|s|m|h)$/, 'a duration such as 30s');

const resources = z.object({
  requests: z.object({ cpu: quantity, memory: quantity }),
  limits: z.object({ cpu: quantity, memory: quantity }),
});

/**
 * Where a dependency outside the cluster can be reached. NetworkPolicy cannot name hosts, so an external Vault
 * is allowed by address block; an in-cluster one by its namespace.
 */
const vaultPlacement = z.discriminatedUnion('placement', [
  z.object({ placement: z.literal('in-cluster') }),
  z.object({ placement: z.literal('external'), cidr: z.string().regex(/^[0-9.]+\/[0-9]+$/, 'an IPv4 CIDR') }),
]);

export const environmentSchema = z
  .object({
    name: z.enum(stages),
    image: z.object({
      /** Outside local, only an immutable digest may be deployed: the same bytes CI built and scanned. */
      requireDigest: z.boolean(),
      pullPolicy: z.enum(['IfNotPresent', 'Always']),
    }),
    replicas: z.object({
      min: z.number().int().min(1),
      max: z.number().int().min(1),
      targetCpuUtilization: z.number().int().min(10).max(100),
    }),
    disruption: z.object({ maxUnavailable: z.number().int().min(1) }),
    /** Topology spread per domain: a hard rule leaves pods pending where nodes carry no such label. */
    spread: z.object({
      zone: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
      node: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
    }),
    resources,
    shutdown: z.object({
      /** SHUTDOWN_TIMEOUT_MS: how long the app drains in-flight requests after SIGTERM. */
      drainTimeoutMs: z.number().int().min(1000),
      /** Pause before SIGTERM so endpoint removal reaches the gateway and kube-proxy first. */
      preStopSeconds: z.number().int().min(1),
    }),
    app: z.object({
      logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']),
      logFormat: z.enum(['json', 'pretty']),
      docsEnabled: z.boolean(),
      corsOrigins: z.array(z.string()),
      /** Host headers accepted besides the mesh hosts and the in-cluster service names. */
      extraAllowedHosts: z.array(z.string()),
      /** Peers whose X-Forwarded-For the app believes: the sidecar connects from 127.0.0.6 (Istio inbound). */
      trustedProxies: z.array(z.string()).min(1),
      /** X-Forwarded-For hops to believe: the ingress gateway's. */
      proxyMaxIps: z.number().int().min(0),
    }),
    mesh: z.object({
      mtls: z.enum(['PERMISSIVE', 'STRICT']),
      /** Hostnames the ingress gateway routes to the service. */
      hosts: z.array(z.string()).min(1),
      /** Origin the JWT issuer and the JWKS are published at (istiod fetches the keys through the gateway). */
      publicOrigin: z.url(),
      requestTimeout: duration,
      retries: z.object({ attempts: z.number().int().min(0), perTryTimeout: duration }),
      connectionPool: z.object({
        maxConnections: z.number().int().min(1),
        http1MaxPendingRequests: z.number().int().min(1),
        maxRequestsPerConnection: z.number().int().min(0),
      }),
      outlierDetection: z.object({
        consecutive5xxErrors: z.number().int().min(1),
        interval: duration,
        baseEjectionTime: duration,
        maxEjectionPercent: z.number().int().min(1).max(100),
      }),
    }),
    vault: z.object({ address: z.url(), network: vaultPlacement }),
    telemetry: z.object({ otlpProtocol: z.enum(['grpc', 'http/protobuf']) }),
    migration: z.object({
      backoffLimit: z.number().int().min(0),
      activeDeadlineSeconds: z.number().int().min(60),
      ttlSecondsAfterFinished: z.number().int().min(60),
    }),
    monitoring: z.object({
      /** ServiceMonitor and PrometheusRule need the Prometheus Operator's CRDs in the cluster. */
      enabled: z.boolean(),
      scrapeInterval: duration,
      alertSeverity: z.enum(['info', 'warning', 'critical']),
    }),
    /**
     * What the API promises its users over 30 days; the SLO burn-rate alerts derive their thresholds from it.
     * Health probes and /metrics are not user requests.
     */
    slo: z.object({
      /** Share of user requests answered without a 5xx. */
      availability: z.number().gt(0).lt(1),
      latency: z.object({
        /** A bucket boundary of http_server_request_duration_seconds (the chart refuses any other). */
        thresholdSeconds: z.number().positive(),
        /** Share of user requests answered within `thresholdSeconds`. */
        target: z.number().gt(0).lt(1),
      }),
    }),
    /**
     * The event worker's own Deployment: a fixed replica count (queue consumers do not scale on CPU), its own
     * resources, and the BullMQ settings its shutdown budget is derived from.
     */
    worker: z.object({
      replicas: z.number().int().min(1),
      resources,
      /** WORKER_CONCURRENCY: jobs one pod runs at once. */
      concurrency: z.number().int().min(1).max(100),
      /**
       * WORKER_LOCK_DURATION_MS: a job whose worker stops renewing its lock for this long is taken over. A pod
       * stopping waits for its active jobs, so its grace period is derived from this bound.
       */
      lockDurationMs: z.number().int().min(500),
    }),
    /**
     * Progressive delivery of the API (Argo Rollouts): when enabled, a release shifts traffic to the new pods in
     * `steps` while an analysis of the new pods' own request metrics runs, and aborts (traffic back to the
     * stable pods) when a threshold is crossed. Disabled, the Deployment rolls out on its own.
     */
    canary: z.object({
      enabled: z.boolean(),
      /** Percent of the gateway's traffic sent to the new pods, each held for `pause` before the next. */
      steps: z
        .array(z.object({ weight: z.number().int().min(1).max(99), pause: duration }))
        .min(1)
        .refine((steps) => steps.every((step, i) => i === 0 || step.weight > steps[i - 1]!.weight), {
          message: 'canary weights must rise step by step',
        }),
      /** Abort when the new pods are not ready by then (a crash loop must not hold a release forever). */
      progressDeadlineSeconds: z.number().int().min(60),
      analysis: z.object({
        /** The Prometheus the analysis queries (the cluster's, from the Prometheus Operator). */
        prometheusAddress: z.url(),
        /** How often each metric is measured; the first measurement waits one `window`. */
        interval: duration,
        /** The range each rate is taken over: at least two scrapes. */
        window: duration,
        /** 5xx responses over all responses of the new pods above which a measurement fails. */
        maxErrorRatio: z.number().min(0).max(1),
        /** p99 request duration of the new pods, in seconds, above which a measurement fails. */
        maxP99Seconds: z.number().positive(),
        /** Failed measurements tolerated per metric; one more aborts the release. */
        failureLimit: z.number().int().min(0),
        /** Requests the new pods must have served in a window for a measurement to count at all. */
        minRequests: z.number().int().min(1),
      }),
    }),
    /** The developer loop syncs sources into a writable volume seeded from the dev image. */
    devLoop: z.object({ syncSources: z.boolean() }),
  })
  .refine((env) => env.replicas.max >= env.replicas.min, {
    message: 'replicas.max must be at least replicas.min',
    path: ['replicas', 'max'],
  })
  // rate() needs two samples in its range: a window under two scrapes yields nothing to judge.
  .refine(
    (env) =>
      !env.canary.enabled ||
      durationSeconds(env.canary.analysis.window) >= 2 * durationSeconds(env.monitoring.scrapeInterval),
    {
      message: 'canary.analysis.window must span at least two scrapes',
      path: ['canary', 'analysis', 'window'],
    },
  );

const durationUnits = { ms: 0.001, s: 1, m: 60, h: 3600 } as const;

/** Seconds of a duration the schema accepted (`30s`, `2m`). */
export function durationSeconds(value: string): number {
  const match = /^([0-9]+)(ms|s|m|h)$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a duration`);
  return Number(match[1]) * durationUnits[match[2] as keyof typeof durationUnits];
}

export type Environment = z.infer<typeof environmentSchema>;
