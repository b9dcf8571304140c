import koaCors from '@koa/cors';
import type { Middleware } from 'koa';
import { requestIdHeader } from './request-id.js';

/** Explicit origins only: an origin not on the list gets no CORS headers, so the browser blocks the call. */
export function cors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return koaCors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has('*') || allowed.has(origin) ? origin : '';
    },
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', requestIdHeader],
    exposeHeaders: [
      requestIdHeader,
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
    maxAge: 600,
    credentials: false,
  });
}
