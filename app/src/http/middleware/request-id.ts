import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { requestContext } from '../../observability/request-context.js';
import { routeTemplate } from '../../observability/route-template.js';

export const requestIdHeader = 'X-Request-ID';

// An incoming id is kept only when it is short and plain: it ends up in logs and response headers.
const sane = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request's id, decided once: the caller's when sane, else a new UUID. The error boundary may need it
 * before the request-id layer runs (a 413 or 429 is answered earlier in the pipeline), so both ask here.
 */
export function requestIdOf(ctx: Context): string {
  const state = ctx.state as { requestId?: string };
  if (state.requestId) return state.requestId;
  const incoming = ctx.get(requestIdHeader);
  state.requestId = sane.test(incoming) ? incoming : randomUUID();
  return state.requestId;
}

/** Echoes the id on every response and makes it visible to every log line written while handling the request. */
export function requestId(): Middleware {
  return function requestId(ctx, next) {
    const id = requestIdOf(ctx);
    ctx.set(requestIdHeader, id);
    return requestContext.run({ requestId: id, route: () => routeTemplate(ctx) }, next);
  };
}
