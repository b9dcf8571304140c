import { context, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import { ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { TelemetrySettings } from '../../config/telemetry-settings.js';
import { scrubSecrets } from '../scrub-secrets.js';
import { instrumentations, loadInstrumentedPackages } from './instrumentations.js';
import { serviceNameResource, serviceResource } from './resource.js';
import { spanProcessors } from './span-processors.js';
import { setTracingShutdown } from './tracing-handle.js';

let running: TracerProvider | undefined;

// The SDK's own complaints (an unreachable collector, a dropped batch) as JSON lines beside the app's logs.
const diagLine =
  (level: number) =>
  (message: string, ...args: unknown[]) => {
    const detail = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ');
    process.stderr.write(
      `${JSON.stringify({ level, time: Date.now(), component: 'opentelemetry', msg: scrubSecrets(`${message} ${detail}`.trim()) })}\n`,
    );
  };
const quiet = () => {};

/**
 * Starts tracing, and only tracing: metrics are served by the app on /metrics and logs leave as stdout JSON
 * lines. The parts are put together here rather than by @opentelemetry/sdk-node, whose entry point loads every
 * log, metric and trace exporter it could build from the environment (about 0.7 s of a cold start) to use none
 * of them. What it set up is set up the same way: instrumentations first (they patch packages as they load),
 * an AsyncLocalStorage context manager, W3C trace context and baggage propagation, and a resource from the
 * service's settings merged with what the detectors find (OTEL_RESOURCE_ATTRIBUTES, host, OS, process).
 */
export function startTracing(
  settings: TelemetrySettings,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (!settings.enabled || running) return false;
  diag.setLogger(
    { error: diagLine(50), warn: diagLine(40), info: quiet, debug: quiet, verbose: quiet },
    DiagLogLevel.WARN,
  );
  registerInstrumentations({ instrumentations: instrumentations(settings.detail, settings.serverSpans) });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  const detected = detectResources({
    detectors: [hostDetector, osDetector, serviceInstanceIdDetector, processDetector, envDetector],
  });
  const provider = new TracerProvider({
    resource: serviceResource(settings, env).merge(detected).merge(serviceNameResource(settings)),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: spanProcessors(settings),
  });
  trace.setGlobalTracerProvider(provider);
  loadInstrumentedPackages();
  running = provider;
  setTracingShutdown(async () => {
    running = undefined;
    await provider.shutdown();
  });
  return true;
}
