import type { Context, Middleware } from 'koa';
import type { Logger } from '../../observability/logger.js';
import type { ClientIpResolver } from './client-ip.js';
import { requestIdOf } from './request-id.js';

/** The route template (`/api/v1/items/:id`), never the raw path: bounded cardinality, no ids in labels. */
export const routeOf = (ctx: Context) => {
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : undefined;
};

/**
 * One completion line per request: method, route, status, duration, client IP, and the user when known. It runs
 * outside the error boundary, so requests refused by an outer layer (429, 413, untrusted host) get their line
 * too, with the status the client received; that is also why it names the request id and client IP itself.
 */
export function requestLog(
  log: Logger,
  clientIp: ClientIpResolver,
  /** HIPAA mode: false, since a client may put an email in a path no route matched. */
  logUnmatchedPaths = true,
): Middleware {
  // The line's fields are fixed and hold no secret, so it skips pino's path redaction, which measured about
  // 8x the cost of the rest of the line (90 µs against 11 µs) with our list of redacted paths.
  const access = log.child({}, { redact: { paths: [] } });
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
        requestId: requestIdOf(ctx),
        method: ctx.method,
        route: routeOf(ctx),
        path: routeOf(ctx) || !logUnmatchedPaths ? undefined : ctx.path,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        ip: clientIp(ctx),
        // The token's subject (a user id, never an email): set by the authenticate layer for valid tokens.
        userId: (ctx.state as { user?: { sub?: unknown } }).user?.sub,
      };
      if (status >= 500) access.error(line, 'request failed');
      else access.info(line, 'request completed');
    }
  };
}
