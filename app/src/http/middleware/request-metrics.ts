import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Middleware } from 'koa';
import type { Metrics } from '../../observability/metrics.js';
import { routeTemplate, unmatchedRoute } from '../../observability/route-template.js';

// Any other method is one label value, so a client inventing methods cannot grow the label set.
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * RED metrics for every request, refused ones included: it runs outside the error boundary and reads the
 * status the client really got. With TRACES_SERVER_SPANS=instrumentation it also names the request's server
 * span after the route template, so traces group the way the metrics do (the server-span middleware names its
 * own).
 */
export function requestMetrics(metrics: Pick<Metrics, 'http'>): Middleware {
  const { requestDuration, activeRequests, rateLimited } = metrics.http;
  return async function requestMetrics(ctx, next) {
    const method = knownMethods.has(ctx.method) ? ctx.method : '_OTHER';
    const started = performance.now();
    activeRequests.inc({ method });
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } finally {
      activeRequests.dec({ method });
      const route = routeTemplate(ctx);
      requestDuration.observe(
        { method, route, status_code: String(status) },
        (performance.now() - started) / 1000,
      );
      if (status === 429) rateLimited.inc();
      // A request no route matched keeps the plain method as its span name, as the conventions ask.
      const rpc = getRPCMetadata(context.active());
      if (rpc?.type === RPCType.HTTP && route !== unmatchedRoute) rpc.route = route;
    }
  };
}
