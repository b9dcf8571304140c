import { z } from 'zod';
import { bool, csv } from './env-types.js';
import { hipaaEnv } from './hipaa-settings.js';
import { type Tier, tierAliases } from './tiers.js';

/** Share of new traces kept per tier; a sampled parent always decides for its children. */
export const defaultSampleRatio: Record<Tier, number> = { local: 1, dev: 1, staging: 0.25, prod: 0.05 };

/**
 * How much of a request is traced. `requests`: incoming and outgoing HTTP and every database query, which is
 * what answers "which request was slow, and was it the database". `full` adds the matched Koa route and each
 * Redis command: several times the spans (an authenticated read issues three Redis commands) for
 * sub-millisecond steps, which at staging's sampling cost more CPU than the rest of the tracing together
 * (docs/performance.md), so it is the default only where a developer reads the traces. `middleware` adds one span per Koa middleware
 * layer, when hunting where time goes inside the pipeline.
 */
export const traceDetails = ['requests', 'full', 'middleware'] as const;
export type TraceDetail = (typeof traceDetails)[number];
export const defaultTraceDetail: Record<Tier, TraceDetail> = {
  local: 'full',
  dev: 'full',
  staging: 'requests',
  prod: 'requests',
};

/**
 * What makes the server span of an incoming request. `middleware`: the outermost Koa layer
 * (http/middleware/server-span.ts) starts it after the sampler has decided, and builds attributes only for a
 * recording span, so an unsampled request costs one id and one context switch. `instrumentation`: the stock
 * HTTP instrumentation's server side, which builds every attribute and wraps the request and response for
 * sampled and unsampled requests alike; kept selectable so the bench can measure the difference.
 */
export const serverSpanSources = ['middleware', 'instrumentation'] as const;
export type ServerSpanSource = (typeof serverSpanSources)[number];

/** Variables of traces and metrics; spread into the one env schema. */
export const telemetryEnv = {
  /** false: no OpenTelemetry SDK at all (no spans, no trace ids in logs). Metrics are served either way. */
  TELEMETRY_ENABLED: bool.default(true),
  OTEL_SERVICE_NAME: z.string().min(1).default('platform-api'),
  /** The collector; spans are exported only when this is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
    .optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/protobuf', 'grpc']).default('http/protobuf'),
  TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).optional(),
  /** Spans printed where a developer can read them without a collector. */
  TRACES_LOCAL_OUTPUT: z.enum(['none', 'console', 'file']).default('none'),
  TRACES_LOCAL_FILE: z.string().min(1).default('.data/spans.jsonl'),
  /** `requests`, `full` or `middleware`; see traceDetails. Default full in local and dev, requests elsewhere. */
  TRACES_DETAIL: z.enum(traceDetails).optional(),
  /** `middleware` (every tier) or `instrumentation`; see serverSpanSources. */
  TRACES_SERVER_SPANS: z.enum(serverSpanSources).default('middleware'),
  /** Peers (addresses or CIDR ranges) allowed to read GET /metrics; empty allows any peer. */
  METRICS_ALLOWED_NETWORKS: csv,
};

const telemetryOnlySchema = z.object({
  APP_ENV: z.enum(['local', 'dev', 'staging', 'prod']),
  APP_VERSION: z.string().default('0.0.0-dev'),
  HIPAA_MODE: hipaaEnv.HIPAA_MODE,
  ...telemetryEnv,
});

type TelemetryEnv = z.output<typeof telemetryOnlySchema>;

export interface TelemetrySettings {
  readonly enabled: boolean;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly tier: Tier;
  readonly otlp: { readonly endpoint: string; readonly protocol: 'http/protobuf' | 'grpc' } | undefined;
  readonly sampleRatio: number;
  readonly detail: TraceDetail;
  readonly serverSpans: ServerSpanSource;
  readonly localOutput:
    | { readonly kind: 'none' | 'console' }
    | { readonly kind: 'file'; readonly path: string };
  /** HIPAA mode: spans leave without raw paths, URLs and exception messages (they can quote personal data). */
  readonly withoutPersonalData: boolean;
}

export function toTelemetrySettings(env: TelemetryEnv): TelemetrySettings {
  return {
    enabled: env.TELEMETRY_ENABLED,
    serviceName: env.OTEL_SERVICE_NAME,
    serviceVersion: env.APP_VERSION,
    tier: env.APP_ENV,
    otlp: env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL }
      : undefined,
    sampleRatio: env.TRACES_SAMPLE_RATIO ?? defaultSampleRatio[env.APP_ENV],
    detail: env.TRACES_DETAIL ?? defaultTraceDetail[env.APP_ENV],
    serverSpans: env.TRACES_SERVER_SPANS,
    localOutput:
      env.TRACES_LOCAL_OUTPUT === 'file'
        ? { kind: 'file', path: env.TRACES_LOCAL_FILE }
        : { kind: env.TRACES_LOCAL_OUTPUT },
    withoutPersonalData: env.HIPAA_MODE,
  };
}

export const toMetricsSettings = (env: Pick<TelemetryEnv, 'METRICS_ALLOWED_NETWORKS'>) => ({
  allowedNetworks: env.METRICS_ALLOWED_NETWORKS,
});

/**
 * The telemetry slice alone, for the `--import` bootstrap: it starts before secrets are read (in clusters the
 * database URLs come from Vault later), so it must not need the rest of the configuration to be complete.
 * Returns the problems instead of throwing: main reports invalid configuration once, with every problem.
 */
export function readTelemetrySettings(
  raw: Readonly<Record<string, string | undefined>>,
): TelemetrySettings | { problems: string[] } {
  const tier = tierAliases[(raw.APP_ENV ?? 'local').trim().toLowerCase()];
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = telemetryOnlySchema.safeParse({ ...present, APP_ENV: tier });
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  }
  return toTelemetrySettings(parsed.data);
}
