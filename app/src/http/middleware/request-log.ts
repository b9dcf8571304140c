import type { Context, Middleware } from 'koa';
import type { Logger } from '../../observability/logger.js';

/** The route template (`/api/v1/items/:id`), never the raw path: bounded cardinality, no ids in labels. */
export const routeOf = (ctx: Context) => {
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : undefined;
};

/** One completion line per request: method, route, status, duration, client IP, and the user when known. */
export function requestLog(log: Logger): Middleware {
  return async function requestLog(ctx, next) {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      status = (error as { status?: number }).status ?? 500;
      throw error;
    } finally {
      const line = {
        method: ctx.method,
        route: routeOf(ctx),
        path: routeOf(ctx) ? undefined : ctx.path,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        ip: ctx.ip,
        // The token's subject (a user id, never an email): set by the authenticate layer for valid tokens.
        userId: (ctx.state as { user?: { sub?: unknown } }).user?.sub,
      };
      if (status >= 500) log.error(line, 'request failed');
      else log.info(line, 'request completed');
    }
  };
}
