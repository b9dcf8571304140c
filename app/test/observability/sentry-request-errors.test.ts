import Router from '@koa/router';
import { context, type ProxyTracerProvider, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { toErrorReportingSettings } from '../../src/config/error-reporting-settings.js';
import {
  closeErrorReporting,
  startErrorReporting,
} from '../../src/observability/error-reporting/error-reporting.js';
import { createLogger } from '../../src/observability/logger.js';
import { Forbidden, Unavailable } from '../../src/shared/errors.js';
import { captureLogs } from '../support/log-capture.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { type SentryEvent, type SentryReceiver, startSentryReceiver } from './sentry-receiver.js';

// Secrets a failing dependency might quote back in its message.
const jwt = `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIke${crypto.randomUUID().replaceAll('-', '')}.c2lnbmF0dXJl`;
const password = `pw${crypto.randomUUID().slice(0, 12)}`;
const dbPassword = `db${crypto.randomUUID().slice(0, 12)}`;
// Secrets and ids the client sent, which no event may carry.
const cookie = `sid=${crypto.randomUUID()}`;
const bearer = `opaque${crypto.randomUUID().replaceAll('-', '')}`;
const rawId = `raw-id-${crypto.randomUUID().slice(0, 8)}`;
const queryToken = `q${crypto.randomUUID().replaceAll('-', '')}`;

const traceId = 'c0ffee0000000000000000000000beef';
const requestId = `req-${crypto.randomUUID()}`;

function settingsFor(dsn: string) {
  return toErrorReportingSettings({
    APP_ENV: 'dev',
    APP_VERSION: '1.2.3-test',
    SENTRY_DSN: dsn,
    SENTRY_SAMPLE_RATE: 1,
  });
}

/** The pipeline around routes that fail the ways production routes can: a bug, a refusal, a dependency down. */
function withFailingRoutes(...args: Parameters<typeof createApp>) {
  const app = createApp(...args);
  const router = new Router();
  router.get('/api/v1/boom/:id', () => {
    throw new Error(
      `upstream refused token ${jwt}; retried with password=${password} against postgresql://app:${dbPassword}@db:5432/app`,
    );
  });
  router.get('/api/v1/refused/:id', () => {
    throw new Forbidden(`not yours (password=${password})`);
  });
  router.get('/api/v1/down', () => {
    throw new Unavailable('the queue is unreachable', 5);
  });
  app.use(router.routes());
  return app;
}

/** Tracing as the bootstrap sets it up, minus exporters: context, W3C propagation, a provider that samples all. */
function startTestTracing() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({ sampler: new AlwaysOnSampler() });
  trace.setGlobalTracerProvider(provider);
  return provider;
}

const eventFor = (events: SentryEvent[], route: string) =>
  events.filter((event) => event.tags?.['http.route'] === route);

describe('error reporting to a Sentry envelope endpoint, from the real pipeline', () => {
  let receiver: SentryReceiver;
  let app: TestApp;
  let provider: TracerProvider;
  const startLogs = captureLogs();
  const responses: Record<string, number> = {};
  let events: SentryEvent[];
  let uncaughtListenersBefore: number;

  beforeAll(async () => {
    provider = startTestTracing();
    receiver = await startSentryReceiver();
    uncaughtListenersBefore =
      process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');
    const log = createLogger(
      { log: { level: 'info', format: 'json' }, tier: 'dev', version: 'test' },
      startLogs.stream,
    );
    expect(await startErrorReporting(settingsFor(receiver.dsn), log)).toBe(true);
    app = await startTestApp({}, withFailingRoutes);
    const secretHeaders = { cookie, authorization: `Bearer ${bearer}` };
    // The client's refusals first: had any of them been sent, it would arrive before the 5xx's event.
    responses.refused = (await app.fetch(`/api/v1/refused/${rawId}`, { headers: secretHeaders })).status;
    responses.unmatched = (await app.fetch(`/api/v1/nowhere/${rawId}`, { headers: secretHeaders })).status;
    responses.invalidJson = (
      await app.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...secretHeaders },
        body: `{"password": "${password}"`,
      })
    ).status;
    responses.boom = (
      await app.fetch(`/api/v1/boom/${rawId}?token=${queryToken}`, {
        headers: {
          ...secretHeaders,
          'x-request-id': requestId,
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
      })
    ).status;
    responses.down = (await app.fetch('/api/v1/down')).status;
    // Sends what is queued, as shutdown does.
    await closeErrorReporting(5000);
    events = receiver.events();
    if (process.env.SHOW_EVENTS) console.log(receiver.text());
  });

  afterAll(async () => {
    await closeErrorReporting();
    await app?.close();
    await receiver?.close();
    await provider?.shutdown();
  });

  it('sends one event for an unexpected error, with the request id, the trace id and the route template', () => {
    expect(responses.boom).toBe(500);
    const [event, ...more] = eventFor(events, '/api/v1/boom/{id}');
    expect(more).toHaveLength(0);
    expect(event?.level).toBe('error');
    expect(event?.tags).toMatchObject({
      request_id: requestId,
      trace_id: traceId,
      'http.request.method': 'GET',
      'http.response.status_code': 500,
    });
    // Sentry's own trace context is the request's trace, so the event links to the same trace as the logs.
    expect(event?.contexts?.trace?.trace_id).toBe(traceId);
    const logged = app.logs.lines.find((line) => line.msg === 'unexpected error');
    expect(logged?.trace_id).toBe(traceId);
    expect(event?.contexts?.trace?.span_id).toBe(logged?.span_id);
    expect(event?.transaction).toBe('GET /api/v1/boom/{id}');
    expect(event?.environment).toBe('dev');
    expect(event?.release).toBe('1.2.3-test');
    expect((event?.sdk as { integrations?: string[] })?.integrations).toEqual(['LinkedErrors']);
    const exception = event?.exception?.values?.at(-1);
    expect(exception?.mechanism).toMatchObject({ type: 'koa.error_boundary', handled: false });
  });

  it('sends the error with every secret cut out by the logs own redaction, and nothing the client sent', () => {
    const [event] = eventFor(events, '/api/v1/boom/{id}');
    const message = event?.exception?.values?.at(-1)?.value;
    expect(message).toContain('upstream refused token [redacted-jwt]');
    expect(message).toContain('password=[redacted]');
    expect(message).toContain('postgresql://app:[redacted]@db:5432/app');
    expect(event?.request).toBeUndefined();
    expect(event?.user).toBeUndefined();
    // Searched in the bytes that crossed the wire, envelope headers included.
    const sent = receiver.text();
    for (const secret of [jwt, password, dbPassword, cookie, bearer, queryToken, rawId]) {
      expect(sent).not.toContain(secret);
    }
  });

  it('sends a 5xx a layer chose (a dependency down) as handled, and nothing for any 4xx', () => {
    expect(responses).toMatchObject({ refused: 403, unmatched: 404, invalidJson: 400, down: 503 });
    const [down, ...more] = eventFor(events, '/api/v1/down');
    expect(more).toHaveLength(0);
    expect(down?.exception?.values?.at(-1)?.mechanism?.handled).toBe(true);
    expect(down?.tags?.['http.response.status_code']).toBe(503);
    expect(events).toHaveLength(2);
    expect(receiver.refused).toEqual([]);
  });

  it("leaves the app's tracing alone: no tracer provider, propagator, module hooks or process handlers of Sentry's", () => {
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate()).toBe(provider);
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate']);
    const injection = (globalThis as { __SENTRY_ORCHESTRION__?: { runtime?: unknown } })
      .__SENTRY_ORCHESTRION__;
    expect(injection?.runtime).toBeUndefined();
    expect(process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection')).toBe(
      uncaughtListenersBefore,
    );
    expect(startLogs.lines.find((line) => line.msg === 'reporting errors to Sentry')).toMatchObject({
      sentryHost: new URL(receiver.dsn).host,
      environment: 'dev',
      sampleRate: 1,
    });
  });
});

describe('closing error reporting against a Sentry that never answers', () => {
  it('gives up after its timeout, so shutdown is never held past it', async () => {
    const receiver = await startSentryReceiver({ hang: true });
    try {
      const log = createLogger({ log: { level: 'silent', format: 'json' }, tier: 'dev', version: 'test' });
      expect(await startErrorReporting(settingsFor(receiver.dsn), log)).toBe(true);
      const { reportRequestError } = await import(
        '../../src/observability/error-reporting/error-reporting.js'
      );
      reportRequestError(new Error('stuck'), {
        requestId: 'r',
        method: 'GET',
        route: '/x',
        status: 500,
        handled: false,
      });
      const started = performance.now();
      await closeErrorReporting(300);
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await receiver.close();
    }
  });
});
