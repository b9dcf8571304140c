import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ApiKeyDenied } from '../../modules/api-keys/api-key-errors.js';
import type { AuthenticatedKey } from '../../modules/api-keys/key-authenticator.js';
import type { Principal, RequestMeta } from '../../modules/shared/request-meta.js';
import { Forbidden, NotFound, Unauthorized } from '../../shared/errors.js';
import { requestIdOf } from '../middleware/request-id.js';
import { routerOptions } from '../routes/paths.js';
import { type ApiRoute, keyScopeOf } from './api-route.js';
import type { ReadAudit } from './read-audit.js';

/** `/items/{id}` (OpenAPI) -> `/items/:id` (Koa). */
export const koaPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export function requestMeta(ctx: Context): RequestMeta {
  return { ip: ctx.ip, requestId: requestIdOf(ctx), userAgent: ctx.get('user-agent') || undefined };
}

// A verified signature says who issued the token, not that its claims have the shape we issue: a token whose
// claims do not (another issuer's, or a leaked key's) is treated as no token, never handed to a query.
const accessClaims = z.object({ sub: z.uuid(), sid: z.uuid(), role: z.enum(['USER', 'ADMIN']) });

/**
 * A key may call a route only when the route is open to keys (its tag is a key resource and it is not
 * session-only), the key holds the route's scope, and its owner's current role meets the route's access: a key
 * never does more than its owner could. Refusals are ApiKeyDenied, which the key layer audits.
 */
function keyPrincipal(key: AuthenticatedKey, route: ApiRoute): Principal {
  if (route.access === 'public') return key.principal;
  const scope = keyScopeOf(route);
  if (!scope) {
    throw new ApiKeyDenied(
      'session-only',
      'This operation needs a signed-in session; API keys cannot call it.',
    );
  }
  if (!key.scopes.includes(scope)) throw new ApiKeyDenied('scope', `This API key lacks the ${scope} scope.`);
  if (route.access === 'admin' && key.principal.role !== 'ADMIN') {
    throw new ApiKeyDenied('role', 'This operation is for admins only.');
  }
  return key.principal;
}

function principalOf(ctx: Context, route: ApiRoute): Principal | undefined {
  const key = (ctx.state as { apiKey?: AuthenticatedKey }).apiKey;
  if (key) return keyPrincipal(key, route);
  const access = route.access;
  const claims = ctx.state.user === undefined ? undefined : accessClaims.safeParse(ctx.state.user).data;
  const principal = claims
    ? { via: 'session' as const, userId: claims.sub, role: claims.role, sessionId: claims.sid }
    : undefined;
  if (access === 'public') return principal;
  if (!principal) throw new Unauthorized('A valid access token is required.');
  if (access === 'admin' && principal.role !== 'ADMIN')
    throw new Forbidden('This operation is for admins only.');
  return principal;
}

const cameThroughProxy = (ctx: Context) =>
  ctx.get('x-forwarded-for') !== '' || ctx.get('forwarded') !== '' || ctx.get('x-forwarded-host') !== '';

const parse = (schema: unknown, value: unknown) => (schema ? (schema as z.ZodType).parse(value) : undefined);

/**
 * Mounts each route on a Koa router: access check, then input validation (422), then the handler, then (in
 * HIPAA mode) the audit of what its answer discloses.
 */
export function registerRoutes(
  routes: readonly ApiRoute[],
  options: { readonly auditRead?: ReadAudit } = {},
): Router {
  const router = new Router(routerOptions);
  for (const definition of routes) {
    router[definition.method](definition.operationId, koaPath(definition.path), async (ctx) => {
      if (definition.internal && cameThroughProxy(ctx)) {
        throw new NotFound(`No route matches ${ctx.method} ${ctx.path}.`);
      }
      const principal = principalOf(ctx, definition);
      // Tokens (RFC 6749 5.1), new accounts and personal data: no cache on the way may keep any API answer.
      ctx.set('Cache-Control', 'no-store');
      if (definition.carriesSecrets) ctx.compress = false;
      const input = {
        params: parse(definition.params, ctx.params),
        query: parse(definition.query, ctx.query),
        body: parse(definition.body, ctx.request.body ?? {}),
        principal,
        meta: requestMeta(ctx),
      };
      // Each route's handler is typed against its own schemas when defined (see route()).
      const result = await definition.handle(input as never);
      await options.auditRead?.(definition, input, result);
      ctx.status = definition.success.status;
      if (result !== undefined) ctx.body = result;
    });
  }
  return router;
}
