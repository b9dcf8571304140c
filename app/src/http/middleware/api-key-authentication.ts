import type { Middleware } from 'koa';
import { ApiKeyDenied } from '../../modules/api-keys/api-key-errors.js';
import type { AuthenticatedKey, KeyAuthenticator } from '../../modules/api-keys/key-authenticator.js';
import { requestMeta } from '../api/register-routes.js';

export const apiKeyHeader = 'x-api-key';

/**
 * Authenticates X-API-Key: a key that does not verify is a 401 here (a credential was presented, and it is
 * wrong), never an anonymous request. A verified key then meets its own rate limit (a bucket per key, beside
 * the per-address one), and a route refusing it for its scopes or its owner's role is audited on the way out.
 */
export function apiKeyAuthentication(keys: KeyAuthenticator, perKeyLimit: Middleware): Middleware {
  return async function apiKeyAuthentication(ctx, next) {
    const key = await keys.authenticate(ctx.get(apiKeyHeader), requestMeta(ctx));
    // Read by the route (register-routes.ts) for its scope and role checks.
    (ctx.state as { apiKey?: AuthenticatedKey }).apiKey = key;
    await perKeyLimit(ctx, async () => {
      try {
        await next();
      } catch (error) {
        if (error instanceof ApiKeyDenied) await keys.denied(key, error.reason, requestMeta(ctx));
        throw error;
      }
    });
  };
}
