import {
  type Context,
  context,
  type Span,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

type SpanFunction = (span: Span) => unknown;

/**
 * A tracer that, under a parent the sampler dropped, hands back that parent instead of starting a child: a
 * non-recording span whose methods do nothing. The SDK would run the sampler, draw a span id and switch the
 * async context for each child only to drop it too; Prisma asks for three or four per query. Without a
 * parent (work outside a request) the SDK decides as before.
 */
function recordingParentsOnly(tracer: Tracer): Tracer {
  // Dropped means unsampled, read off the trace flags: a sampled span stops recording once it has ended, and
  // handing an ended span back would have its caller set attributes on it and end it again.
  const droppedParent = (ctx: Context) => {
    const parent = trace.getSpan(ctx);
    return parent && !(parent.spanContext().traceFlags & TraceFlags.SAMPLED) ? parent : undefined;
  };
  return {
    startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()) {
      return droppedParent(ctx) ?? tracer.startSpan(name, options, ctx);
    },
    startActiveSpan(name: string, ...rest: unknown[]) {
      const fn = rest.pop() as SpanFunction;
      const [options, ctx = context.active()] = rest as [SpanOptions | undefined, Context | undefined];
      const parent = droppedParent(ctx);
      if (parent) return fn(parent);
      return tracer.startActiveSpan(name, options ?? {}, ctx, fn);
    },
  } as Tracer;
}

export function recordingParentsOnlyProvider(provider: TracerProvider): TracerProvider {
  return {
    getTracer: (name, version, options) => recordingParentsOnly(provider.getTracer(name, version, options)),
  };
}
