import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { SanitizedExporter } from '../../src/observability/tracing/sanitized-exporter.js';

const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXZhbHVl';

describe('spans leaving the process', () => {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: new SanitizedExporter(memory) })],
  });
  afterEach(() => memory.reset());

  it('lose client addresses and query strings, and keep the rest', () => {
    const span = provider.getTracer('test').startSpan('GET /api/v1/items/{id}', {
      attributes: {
        'client.address': '203.0.113.7',
        'network.peer.address': '10.0.0.12',
        'url.path': '/api/v1/items/42',
        'url.query': `access_token=${jwt}`,
        'url.full': `https://api.example.com/api/v1/items/42?token=abc`,
        'http.route': '/api/v1/items/{id}',
        'http.response.status_code': 200,
      },
    });
    span.end();
    const [exported] = memory.getFinishedSpans();
    expect(exported?.attributes).toEqual({
      'url.path': '/api/v1/items/42',
      'url.full': 'https://api.example.com/api/v1/items/42',
      'http.route': '/api/v1/items/{id}',
      'http.response.status_code': 200,
    });
  });

  it('have secrets cut out of error messages, status and exception events', () => {
    const span = provider.getTracer('test').startSpan('POST /api/v1/auth/refresh');
    const error = new Error(`refresh failed for Bearer ${jwt} at postgresql://app:s3cret@db/app`);
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.end();
    const [exported] = memory.getFinishedSpans();
    const text = JSON.stringify({ status: exported?.status, events: exported?.events });
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('s3cret');
    expect(exported?.status.message).toBe(
      'refresh failed for Bearer [redacted-jwt] at postgresql://app:[redacted]@db/app',
    );
    expect(exported?.events[0]?.attributes?.['exception.type']).toBe('Error');
  });

  it('in HIPAA mode also lose paths, URLs and exception messages, keeping the route and exception type', () => {
    const strict = new InMemorySpanExporter();
    const hipaa = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: new SanitizedExporter(strict, true) })],
    });
    const span = hipaa.getTracer('test').startSpan('GET /api/v1/users/{id}', {
      attributes: {
        'url.path': '/api/v1/users/ada%40example.com',
        'url.full': 'https://api.example.com/api/v1/users/ada%40example.com',
        'http.route': '/api/v1/users/{id}',
      },
    });
    const error = new Error('Key (email)=(ada@example.com) already exists.');
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.end();
    const [exported] = strict.getFinishedSpans();
    expect(exported?.attributes).toEqual({ 'http.route': '/api/v1/users/{id}' });
    expect(exported?.events[0]?.attributes).toEqual({ 'exception.type': 'Error' });
    expect(exported?.status).toEqual({ code: SpanStatusCode.ERROR, message: undefined });
  });
});
