import type { Middleware } from 'koa';
import type { Config, LayerName } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { clientIp, clientIpResolver } from './middleware/client-ip.js';
import { contentValidation } from './middleware/content-validation.js';
import { cors } from './middleware/cors.js';
import { type LimiterStore, rateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security-headers.js';
import { trustedHost } from './middleware/trusted-host.js';
import { errorBoundary } from './problems/error-boundary.js';

export interface PipelineDeps {
  readonly log: Logger;
  readonly limiterStore: LimiterStore;
  /** The authentication layer (koa-jwt) when the identity module provides one. */
  readonly authenticate?: Middleware;
}

/**
 * Every layer, outermost first, in one readable list. A layer named in HTTP_LAYERS_DISABLED is left out;
 * the error boundary is not optional.
 */
export function pipeline(cfg: Config, deps: PipelineDeps): Middleware[] {
  const resolveIp = clientIpResolver(cfg.http.trustedProxies);
  const layers: [LayerName, Middleware | undefined][] = [
    ['securityHeaders', securityHeaders({ hsts: cfg.http.hsts })],
    ['rateLimit', rateLimit(cfg.rateLimit, deps.limiterStore, resolveIp, deps.log)],
    ['contentValidation', contentValidation(cfg.http.bodyLimits)],
    ['clientIp', clientIp(resolveIp)],
    ['authenticate', deps.authenticate],
    ['trustedHost', trustedHost(cfg.http.allowedHosts)],
    ['cors', cors(cfg.http.corsOrigins)],
    ['requestId', requestId()],
    ['requestLog', requestLog(deps.log)],
  ];
  const enabled = layers.filter(
    (entry): entry is [LayerName, Middleware] =>
      entry[1] !== undefined && !cfg.http.disabledLayers.includes(entry[0]),
  );
  return [errorBoundary(deps.log, cfg.http.exposeErrorDetails), ...enabled.map(([, layer]) => layer)];
}
