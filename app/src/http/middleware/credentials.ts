import type { Middleware } from 'koa';
import { apiKeyHeader } from './api-key-authentication.js';

/**
 * A request carries one credential: an access token (Authorization) or an API key (X-API-Key). Both at once is a
 * client's mistake (400): choosing one silently would leave the caller unsure which identity acted.
 */
export function credentials(bearer: Middleware, apiKey: Middleware): Middleware {
  return function credentials(ctx, next) {
    const hasKey = ctx.get(apiKeyHeader) !== '';
    if (hasKey && ctx.get('authorization') !== '') {
      ctx.throw(400, 'Send either an Authorization header or an X-API-Key header, not both.');
    }
    return hasKey ? apiKey(ctx, next) : bearer(ctx, next);
  };
}
