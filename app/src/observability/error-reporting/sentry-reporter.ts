import { context, isSpanContextValid, TraceFlags, trace } from '@opentelemetry/api';
import * as Sentry from '@sentry/node';
import type { ErrorReportingSettings } from '../../config/error-reporting-settings.js';
import type { ErrorReporter, ProcessErrorOrigin, RequestError } from './error-reporting.js';
import { scrubEvent } from './scrub-event.js';

/**
 * The Sentry client as an error reporter and nothing more. No default integrations: nothing patches http, Koa,
 * Prisma or the console, no global handlers (exit-on-uncaught-errors.ts owns those), no request data, no
 * breadcrumbs. The app's own OpenTelemetry setup stays the only one: Sentry registers no tracer provider or
 * propagator (`enableOpenTelemetrySetup: false`, what `skipOpenTelemetrySetup` was before SDK 11) and installs no
 * module hooks (`enableRuntimeChannelInjection: false`). Every event goes through the logs' redaction last.
 */
export function startSentry(settings: ErrorReportingSettings): ErrorReporter {
  Sentry.initWithoutDefaultIntegrations({
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    sampleRate: settings.sampleRate,
    // A thrown error's `cause` chain, which says why a dependency failed.
    integrations: [Sentry.linkedErrorsIntegration()],
    enableOpenTelemetrySetup: false,
    enableRuntimeChannelInjection: false,
    // Spans are the app's own (OTLP); Sentry gets none, so its span streaming is not even set up.
    traceLifecycle: 'static',
    // Nothing a request carries: no user, cookies, headers, bodies, query strings or local variables.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
      frameContextLines: 0,
    },
    sendClientReports: false,
    maxBreadcrumbs: 0,
    beforeSend: (event) => scrubEvent(event),
  });

  return {
    request(error, details: RequestError) {
      Sentry.withScope((scope) => {
        // The active span is the request's server span: the event carries the trace its logs and spans carry.
        const span = trace.getSpan(context.active())?.spanContext();
        if (span && isSpanContextValid(span)) {
          scope.setPropagationContext({
            traceId: span.traceId,
            propagationSpanId: span.spanId,
            sampled: (span.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
            sampleRand: Math.random(),
          });
          scope.setTags({ trace_id: span.traceId, span_id: span.spanId });
        }
        scope.setTags({
          request_id: details.requestId,
          'http.request.method': details.method,
          'http.route': details.route,
          'http.response.status_code': details.status,
        });
        scope.setTransactionName(`${details.method} ${details.route}`);
        scope.setLevel('error');
        Sentry.captureException(error, {
          mechanism: { type: 'koa.error_boundary', handled: details.handled },
        });
      });
    },
    process(error, origin: ProcessErrorOrigin) {
      Sentry.withScope((scope) => {
        scope.setTag('origin', origin);
        scope.setLevel('fatal');
        Sentry.captureException(error, { mechanism: { type: `node.${origin}`, handled: false } });
      });
    },
    close: (timeoutMs) => Sentry.close(timeoutMs),
  };
}
