import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { scrubSecrets } from '../scrub-secrets.js';

// Who the client is stays in the request log (one place, with retention rules), never in traces.
const droppedAttributes = new Set([
  'client.address',
  'client.port',
  'network.peer.address',
  'network.peer.port',
  'net.peer.ip',
  'net.peer.port',
  'net.sock.peer.addr',
  'net.sock.peer.port',
  'http.client_ip',
  'enduser.id',
  'url.query',
  'http.request.header.authorization',
  'http.request.header.cookie',
  'http.response.header.set-cookie',
]);

// URLs keep their path; query strings may carry tokens.
const urlAttributes = new Set(['url.full', 'http.url', 'http.target']);

// HIPAA mode: a client may put an email in a path, and an exception's message (a validation error's, a
// database's "Key (email)=(...) already exists") may quote what was submitted. The route and the exception's
// type remain; the request id in the logs leads to the rest.
const personalDataAttributes = new Set([
  ...urlAttributes,
  'url.path',
  'exception.message',
  'exception.stacktrace',
]);

function sanitizeValue(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') {
    const text = urlAttributes.has(key) ? value.split('?')[0]! : value;
    return scrubSecrets(text);
  }
  if (Array.isArray(value)) {
    return value.map((item) => (typeof item === 'string' ? scrubSecrets(item) : item)) as AttributeValue;
  }
  return value;
}

export function sanitizeAttributes(attributes: Attributes, withoutPersonalData = false): Attributes {
  const clean: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (droppedAttributes.has(key)) continue;
    if (withoutPersonalData && personalDataAttributes.has(key)) continue;
    clean[key] = sanitizeValue(key, value);
  }
  return clean;
}

export function sanitizeSpan(span: ReadableSpan, withoutPersonalData = false): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status.message
      ? { ...span.status, message: withoutPersonalData ? undefined : scrubSecrets(span.status.message) }
      : span.status,
    attributes: sanitizeAttributes(span.attributes, withoutPersonalData),
    links: span.links,
    events: span.events.map((event) =>
      event.attributes
        ? { ...event, attributes: sanitizeAttributes(event.attributes, withoutPersonalData) }
        : event,
    ),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Every exporter sits behind this: whatever an instrumentation recorded, client addresses, query strings and
 * secrets quoted in messages never leave the process.
 */
export class SanitizedExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly withoutPersonalData = false,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(
      spans.map((span) => sanitizeSpan(span, this.withoutPersonalData)),
      done,
    );
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
