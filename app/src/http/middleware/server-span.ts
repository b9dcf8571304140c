import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { Context, Middleware } from 'koa';
import { routeTemplate, unmatchedRoute } from '../../observability/route-template.js';
import { untracedPaths } from '../../observability/untraced-paths.js';

// The methods the HTTP conventions name; any other is reported as _OTHER with the original beside it.
const knownMethods = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);

/** What is known when the request arrives; set only on a recording span. */
function requestAttributes(ctx: Context): Attributes {
  const known = knownMethods.has(ctx.method);
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: known ? ctx.method : '_OTHER',
    [ATTR_URL_PATH]: ctx.path,
    [ATTR_URL_SCHEME]: ctx.protocol,
    [ATTR_SERVER_ADDRESS]: ctx.hostname,
    [ATTR_NETWORK_PROTOCOL_VERSION]: ctx.req.httpVersion,
  };
  if (!known) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = ctx.method;
  const agent = ctx.get('user-agent');
  if (agent) attributes[ATTR_USER_AGENT_ORIGINAL] = agent;
  return attributes;
}

function finish(span: ReturnType<Tracer['startSpan']>, ctx: Context, method: string, status: number) {
  const route = routeTemplate(ctx);
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  // A request no route matched keeps the plain method as its span name, as the conventions ask.
  if (route !== unmatchedRoute) {
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.updateName(`${method} ${route}`);
  }
  if (status >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * The server span of every traced request, made here instead of by the HTTP instrumentation's server side
 * (TRACES_SERVER_SPANS=middleware). The sampler decides first, from the incoming W3C traceparent (a sampled
 * parent from the mesh is honoured) or the trace id ratio; only a recording span gets attributes, a name and
 * an end. An unsampled request still carries its non-recording span in the active context, so log lines get
 * its trace id and Prisma and outgoing calls below it know not to record. Outermost layer: it sees every
 * request with the status its client got.
 */
export function serverSpan(tracer: Tracer = trace.getTracer('platform-api.http-server')): Middleware {
  return async function serverSpan(ctx, next) {
    if (untracedPaths.has(ctx.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, ctx.req.headers);
    const method = knownMethods.has(ctx.method) ? ctx.method : 'HTTP';
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
    const active = trace.setSpan(parent, span);
    if (!span.isRecording()) return context.with(active, next);
    span.setAttributes(requestAttributes(ctx));
    let status = 500;
    try {
      await context.with(active, next);
      status = ctx.status;
    } catch (error) {
      span.recordException(error as Error);
      throw error;
    } finally {
      finish(span, ctx, method, status);
    }
  };
}
