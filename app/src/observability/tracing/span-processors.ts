import { createRequire } from 'node:module';
import type { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { TelemetrySettings } from '../../config/telemetry-settings.js';
import { FileSpanExporter } from './file-span-exporter.js';
import { SanitizedExporter } from './sanitized-exporter.js';

function otlpExporter(otlp: NonNullable<TelemetrySettings['otlp']>): SpanExporter {
  if (otlp.protocol === 'grpc') {
    // Loaded only when chosen: gRPC's client library is a tenth of a second of every cold start otherwise.
    const grpc = createRequire(import.meta.url)('@opentelemetry/exporter-trace-otlp-grpc') as {
      OTLPTraceExporter: typeof OtlpGrpcExporter;
    };
    return new grpc.OTLPTraceExporter({ url: otlp.endpoint });
  }
  // OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base URL; the signal's path is appended (OTLP spec).
  const base = otlp.endpoint.endsWith('/') ? otlp.endpoint : `${otlp.endpoint}/`;
  return new OtlpProtobufExporter({ url: new URL('v1/traces', base).toString() });
}

/**
 * Where finished spans go: the collector when an endpoint is set, the console or a file when a developer asks.
 * With neither, spans are still made (their trace ids tie log lines together and continue incoming traces)
 * but nothing is exported.
 */
export function spanProcessors(settings: TelemetrySettings): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  const sanitized = (exporter: SpanExporter) => new SanitizedExporter(exporter, settings.withoutPersonalData);
  if (settings.otlp) {
    processors.push(new BatchSpanProcessor({ exporter: sanitized(otlpExporter(settings.otlp)) }));
  }
  const local = settings.localOutput;
  if (local.kind === 'console') {
    processors.push(new SimpleSpanProcessor({ exporter: sanitized(new ConsoleSpanExporter()) }));
  } else if (local.kind === 'file') {
    processors.push(new BatchSpanProcessor({ exporter: sanitized(new FileSpanExporter(local.path)) }));
  }
  return processors.length > 0 ? processors : [new NoopSpanProcessor()];
}
