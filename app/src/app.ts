import type Router from '@koa/router';
import Koa from 'koa';
import type { Config } from './config/index.js';
import type { Dependencies } from './dependencies.js';
import { allowedMethods } from './http/api/allowed-methods.js';
import type { ApiRoute } from './http/api/api-route.js';
import { openApiDocument } from './http/api/openapi-document.js';
import { readAudit } from './http/api/read-audit.js';
import { registerRoutes } from './http/api/register-routes.js';
import { apiKeyAuthentication } from './http/middleware/api-key-authentication.js';
import { authenticate } from './http/middleware/authenticate.js';
import { credentials } from './http/middleware/credentials.js';
import { storeLimit, withStoreFailurePolicy } from './http/middleware/rate-limit.js';
import { pipeline } from './http/pipeline.js';
import { apiKeyRoutes } from './http/routes/api-key-routes.js';
import { auditRoutes } from './http/routes/audit-routes.js';
import { authRoutes } from './http/routes/auth-routes.js';
import { docsRouter, openApiRoute } from './http/routes/docs.js';
import { healthRoutes } from './http/routes/health.js';
import { itemRoutes } from './http/routes/item-routes.js';
import { userRoutes } from './http/routes/user-routes.js';
import { type AuthenticatedKey, keyAuthenticator } from './modules/api-keys/key-authenticator.js';
import { noBreachLookup, rangeApiLookup } from './modules/auth/breached-passwords.js';
import type { LocalUser } from './modules/auth/local-user.js';

export interface AppDeps extends Dependencies {
  /** Readiness turns false when shutdown begins. */
  readonly isAcceptingTraffic: () => boolean;
  /** Who requests without a token act as; given exactly when AUTH_ENABLED=false (see lifecycle/local-user). */
  readonly localUser?: LocalUser;
}

/** Every API operation the service serves; the OpenAPI document is generated from this same list. */
export function apiRoutes(cfg: Config, deps: AppDeps): ApiRoute[] {
  const { uow } = deps;
  const auth = {
    uow,
    keys: deps.keys,
    tokens: cfg.auth,
    throttle: deps.loginThrottle,
    revoked: deps.revokedSessions,
    recordEvent: deps.metrics.recordAuthEvent,
  };
  const routes = [
    ...healthRoutes(cfg, {
      checks: deps.readinessChecks,
      isAcceptingTraffic: deps.isAcceptingTraffic,
      log: deps.log,
    }),
    ...authRoutes(auth),
    ...userRoutes({
      uow,
      revoked: deps.revokedSessions,
      throttle: deps.loginThrottle,
      registrationEnabled: cfg.auth.registrationEnabled,
      registrationLimit: deps.registrationLimit,
      breachedPasswords: cfg.auth.breachLookup
        ? rangeApiLookup(cfg.auth.breachLookup, deps.log)
        : noBreachLookup,
    }),
    ...itemRoutes({ uow, eventsWritten: deps.eventsWritten }),
    ...auditRoutes({ uow }),
    ...apiKeyRoutes({ uow, revokedKeys: deps.revokedKeys, maxTtlDays: cfg.apiKeys.maxTtlDays }),
  ];
  if (!cfg.docs.enabled) return routes;
  // Built on first request, not at start: generating it from every route's schemas is start-up time that
  // readiness would otherwise wait for.
  let document: unknown;
  const withDocument: ApiRoute[] = [
    ...routes,
    openApiRoute(() => {
      document ??= openApiDocument(withDocument, { title: 'platform-api', version: cfg.version });
      return document;
    }),
  ];
  return withDocument;
}

/** Each API key's own bucket, on the rate limiter's store and with its outage policy. */
function perKeyLimit(cfg: Config, deps: AppDeps) {
  return withStoreFailurePolicy(
    storeLimit(deps.limiterStore, {
      namespace: `${cfg.rateLimit.keyPrefix}:api-key`,
      max: cfg.apiKeys.rateLimit.max,
      windowMs: cfg.apiKeys.rateLimit.windowMs,
      id: (ctx) => (ctx.state as { apiKey: AuthenticatedKey }).apiKey.principal.apiKeyId,
    }),
    cfg.rateLimit.onStoreFailure,
    deps.log,
  );
}

/** The service as a Koa app, built only from what it is given: tests build theirs with their own deps. */
export function createApp(cfg: Config, deps: AppDeps): Koa {
  if (cfg.auth.enabled === (deps.localUser !== undefined)) {
    throw new Error('createApp: a local user is given exactly when AUTH_ENABLED=false');
  }
  const app = new Koa({ proxy: cfg.http.trustedProxies.length > 0, maxIpsCount: cfg.http.maxIpsCount });
  app.silent = true; // the error boundary logs what deserves it; Koa's own printer would log twice

  const layers = pipeline(cfg, {
    ...deps,
    authenticate: credentials(
      authenticate(deps.keys, cfg.auth, deps.revokedSessions, deps.localUser),
      apiKeyAuthentication(
        keyAuthenticator({ uow: deps.uow, revokedKeys: deps.revokedKeys, log: deps.log }),
        perKeyLimit(cfg, deps),
      ),
    ),
  });
  for (const layer of layers) app.use(layer);

  const auditRead = cfg.hipaa.enabled ? readAudit({ uow: deps.uow, log: deps.log }) : undefined;
  const routers: Router[] = [registerRoutes(apiRoutes(cfg, deps), { auditRead })];
  if (cfg.docs.enabled) routers.push(docsRouter({ actingAs: deps.localUser }));
  for (const router of routers) {
    app.use(router.routes());
    app.use(allowedMethods(router));
  }
  return app;
}
