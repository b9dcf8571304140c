import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type ExportResult, ExportResultCode, hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** One line per span, for reading traces locally with `tail -f` and `jq`, without a collector. */
export function spanLine(span: ReadableSpan): string {
  const context = span.spanContext();
  return JSON.stringify({
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: span.kind,
    start: new Date(hrTimeToMilliseconds(span.startTime)).toISOString(),
    durationMs: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000,
    status: span.status,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    scope: span.instrumentationScope.name,
  });
}

export class FileSpanExporter implements SpanExporter {
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const text = spans.map((span) => `${spanLine(span)}\n`).join('');
    this.pending = this.pending
      .then(() => mkdir(dirname(this.path), { recursive: true }))
      .then(() => appendFile(this.path, text))
      .then(
        () => done({ code: ExportResultCode.SUCCESS }),
        (error: Error) => done({ code: ExportResultCode.FAILED, error }),
      );
  }

  async forceFlush(): Promise<void> {
    await this.pending;
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}
