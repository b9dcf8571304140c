import { type ProxyTracerProvider, propagation, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorReportingSettings } from '../../src/config/error-reporting-settings.js';
import {
  closeErrorReporting,
  reportRequestError,
  startErrorReporting,
} from '../../src/observability/error-reporting/error-reporting.js';
import { createLogger } from '../../src/observability/logger.js';
import { type SentryReceiver, startSentryReceiver } from './sentry-receiver.js';

/**
 * TELEMETRY_ENABLED=false: no tracer provider or propagator is registered. Error reporting must not register its
 * own in their place (Sentry's SDK would make every `@opentelemetry/api` span a Sentry span).
 */
describe('error reporting in a process with tracing off', () => {
  let receiver: SentryReceiver;
  beforeAll(async () => {
    receiver = await startSentryReceiver();
    const log = createLogger({ log: { level: 'silent', format: 'json' }, tier: 'dev', version: 'test' });
    const settings = toErrorReportingSettings({
      APP_ENV: 'dev',
      APP_VERSION: 'test',
      SENTRY_DSN: receiver.dsn,
      SENTRY_SAMPLE_RATE: 1,
    });
    expect(await startErrorReporting(settings, log)).toBe(true);
  });
  afterAll(async () => {
    await closeErrorReporting();
    await receiver.close();
  });

  it('registers no tracer provider and no propagator', () => {
    const provider = trace.getTracerProvider() as ProxyTracerProvider;
    expect(provider.getDelegate().constructor.name).toBe('NoopTracerProvider');
    expect(propagation.fields()).toEqual([]);
  });

  it('still reports with the request id, and no trace id it does not have', async () => {
    reportRequestError(new Error('no span here'), {
      requestId: 'req-without-trace',
      method: 'POST',
      route: '/api/v1/items',
      status: 500,
      handled: false,
    });
    await closeErrorReporting(5000);
    const [event, ...more] = receiver.events();
    expect(more).toHaveLength(0);
    expect(event?.tags).toMatchObject({ request_id: 'req-without-trace', 'http.route': '/api/v1/items' });
    expect(event?.tags?.trace_id).toBeUndefined();
  });
});
