import { DiagLogLevel, diag } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type { TelemetrySettings } from '../../config/telemetry-settings.js';
import { scrubSecrets } from '../scrub-secrets.js';
import { instrumentations, loadInstrumentedPackages } from './instrumentations.js';
import { serviceResource } from './resource.js';
import { spanProcessors } from './span-processors.js';
import { setTracingShutdown } from './tracing-handle.js';

let running: NodeSDK | undefined;

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
 * Starts the OpenTelemetry SDK for traces only. Metrics are served by the app on /metrics and logs leave as
 * stdout JSON lines, so the SDK's own metric and log exporters (which it would switch on from the environment
 * by itself) are explicitly empty.
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
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    resource: serviceResource(settings, env),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: spanProcessors(settings),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(settings.detail, settings.serverSpans),
  });
  sdk.start();
  loadInstrumentedPackages();
  running = sdk;
  setTracingShutdown(async () => {
    running = undefined;
    await sdk.shutdown();
  });
  return true;
}
