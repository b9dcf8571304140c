import { ROOT_CONTEXT, type Span, TraceFlags, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { recordingParentsOnlyProvider } from '../../src/observability/tracing/recording-parents-only.js';

const tracer = recordingParentsOnlyProvider(new TracerProvider({ sampler: new AlwaysOnSampler() })).getTracer(
  'test',
);
const droppedParent = trace.wrapSpanContext({
  traceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  spanId: '1122334455667788',
  traceFlags: TraceFlags.NONE,
});

describe('the tracer handed to Prisma', () => {
  it('starts nothing under a parent the sampler dropped: the parent itself comes back', () => {
    const under = trace.setSpan(ROOT_CONTEXT, droppedParent);
    expect(tracer.startSpan('prisma:client:operation', {}, under)).toBe(droppedParent);
    const seen = tracer.startActiveSpan('prisma:client:db_query', {}, under, (span: Span) => span);
    expect(seen).toBe(droppedParent);
  });

  it('starts a recording child under a recording parent, and a root span without a parent', () => {
    const parent = tracer.startSpan('GET /api/v1/items/{id}', {}, ROOT_CONTEXT);
    const child = tracer.startActiveSpan(
      'prisma:client:db_query',
      {},
      trace.setSpan(ROOT_CONTEXT, parent),
      (span: Span) => span,
    );
    expect(child.isRecording()).toBe(true);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child).not.toBe(parent);
    expect(parent.isRecording()).toBe(true);
  });

  it('starts a child under a sampled parent that has already ended, never handing the ended parent back', () => {
    // Work that outlives its request (a timer, a background loop) still carries the request's ended span.
    const ended = tracer.startSpan('POST /api/v1/items', {}, ROOT_CONTEXT);
    ended.end();
    const under = trace.setSpan(ROOT_CONTEXT, ended);
    const child = tracer.startActiveSpan('prisma:client:db_query', {}, under, (span: Span) => span);
    expect(child).not.toBe(ended);
    expect(child.isRecording()).toBe(true);
    expect(tracer.startSpan('prisma:client:operation', {}, under)).not.toBe(ended);
  });
});
