import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { TracerProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KoaInstrumentation, KoaLayerType } from '@opentelemetry/instrumentation-koa';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import type { ServerSpanSource, TraceDetail } from '../../config/telemetry-settings.js';
import { untracedPaths } from '../untraced-paths.js';
import { recordingParentsOnlyProvider } from './recording-parents-only.js';

const pathOf = (request: IncomingMessage) => (request.url ?? '').split('?')[0] ?? '';

/**
 * Prisma's instrumentation makes a span for each step of every query whatever its parent; under an unsampled
 * request those are all dropped, so its tracer skips them (see recording-parents-only.ts). registerInstrumentations
 * hands the provider over after the constructor already enabled the instrumentation, hence enabling again.
 */
class PrismaUnderRecordingParents extends PrismaInstrumentation {
  override setTracerProvider(provider: TracerProvider): void {
    super.setTracerProvider(recordingParentsOnlyProvider(provider));
    if (this.isEnabled()) this.enable();
  }
}

/**
 * What is traced, and how much of it (TRACES_DETAIL, see config/telemetry-settings.ts). Always: http client spans,
 * server spans when TRACES_SERVER_SPANS=instrumentation (named by the route template in the request-metrics
 * layer; otherwise the server-span middleware makes them) and Prisma
 * operations with their SQL (placeholders, never parameters). With `full`: the matched Koa route and Redis
 * commands by name only (keys carry client addresses, arguments carry values); `middleware` adds each layer.
 * Log lines get their trace ids from the logger itself (observability/logger.ts), not from a pino
 * instrumentation.
 */
export function instrumentations(detail: TraceDetail, serverSpans: ServerSpanSource): Instrumentation[] {
  const always: Instrumentation[] = [
    new HttpInstrumentation({
      // With the server-span middleware the instrumentation keeps outgoing requests only; disabled, it does not
      // wrap the server's request handler at all.
      disableIncomingRequestInstrumentation: serverSpans === 'middleware',
      ignoreIncomingRequestHook: (request) => untracedPaths.has(pathOf(request)),
    }),
    // Serialisation of results is in-process work, one span per operation that says nothing on its own.
    new PrismaUnderRecordingParents({
      ignoreSpanTypes: ['prisma:client:serialize'],
    }) as unknown as Instrumentation,
  ];
  if (detail === 'requests') return always;
  return [
    ...always,
    new KoaInstrumentation({
      ignoreLayersType: detail === 'middleware' ? [] : [KoaLayerType.MIDDLEWARE],
    }),
    new IORedisInstrumentation({
      dbStatementSerializer: (command) => command,
      // Commands outside a request (health of the connection, timers) would each start a trace of their own.
      requireParentSpan: true,
    }),
  ];
}

/**
 * Loads the instrumented CommonJS packages once through `require`, right after the SDK starts, so the
 * instrumentations patch their classes in place (Koa's `use`, ioredis' `sendCommand`) before the service
 * imports them as ES modules and receives those same classes.
 *
 * Why not the ESM loader hook (`@opentelemetry/instrumentation/hook.mjs`): it only reaches instrumentations
 * that share its copy of import-in-the-middle, and in this repository's dependency tree each instrumentation
 * package gets its own nested copy (the root keeps an older OpenTelemetry for Pulumi), so the hook patched
 * nothing while still wrapping every module the service loads.
 */
export function loadInstrumentedPackages(): void {
  const require = createRequire(import.meta.url);
  for (const name of ['koa', 'ioredis']) require(name);
}
