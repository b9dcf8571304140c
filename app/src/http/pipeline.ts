import type { Middleware } from 'koa';
import type { CountryLookup } from '../adapters/geoip/country-database.js';
import type { Config, LayerName } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { clientIp, clientIpResolver, trustedPeer } from './middleware/client-ip.js';
import { compression } from './middleware/compression.js';
import { contentValidation } from './middleware/content-validation.js';
import { cors } from './middleware/cors.js';
import { geoip } from './middleware/geoip.js';
import { jsonOnce } from './middleware/json-once.js';
import { type LimiterStore, rateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestLog } from './middleware/request-log.js';
import { requestMetrics } from './middleware/request-metrics.js';
import { securityHeaders } from './middleware/security-headers.js';
import { serverSpan } from './middleware/server-span.js';
import { trustedHost } from './middleware/trusted-host.js';
import { errorBoundary } from './problems/error-boundary.js';
import { metricsEndpoint } from './routes/metrics.js';

export interface PipelineDeps {
  readonly log: Logger;
  readonly limiterStore: LimiterStore;
  readonly metrics?: Metrics;
  /** The authentication layer (bearer tokens verified with jose) when the identity module provides one. */
  readonly authenticate?: Middleware;
  /** The country database, opened at start when GEOIP_DATABASE_PATH is set. */
  readonly countries?: CountryLookup | undefined;
}

/**
 * Every layer, outermost first, in one readable list. A layer named in HTTP_LAYERS_DISABLED is left out;
 * the error boundary is not optional. The server span (TRACES_SERVER_SPANS=middleware) is outermost, so every
 * line logged and every query made inside a request belongs to it. Request metrics and the request log sit
 * outside the error boundary, to see every request with the status its client got, refused ones included;
 * compression wraps the error boundary, so problem+json bodies are compressed like any other, and wraps
 * jsonOnce, so what it compresses (or weighs against its threshold) is bytes serialized once;
 * GET /metrics is answered before the rate limiter and the host check (scrapers address pods by IP).
 * GeoIP decides on the client address as resolved from trusted proxies only, before any token is verified.
 */
export function pipeline(cfg: Config, deps: PipelineDeps): Middleware[] {
  const resolveIp = clientIpResolver(cfg.http.trustedProxies);
  const tracesServerSpans = cfg.telemetry.enabled && cfg.telemetry.serverSpans === 'middleware';
  const outer: [LayerName, Middleware | undefined][] = [
    ['serverSpan', tracesServerSpans ? serverSpan() : undefined],
    ['requestMetrics', deps.metrics && requestMetrics(deps.metrics)],
    ['requestLog', requestLog(deps.log, resolveIp, !cfg.hipaa.enabled)],
    ['compression', cfg.http.compression.enabled ? compression(cfg.http.compression) : undefined],
    ['jsonOnce', jsonOnce()],
  ];
  const layers: [LayerName, Middleware | undefined][] = [
    ['securityHeaders', securityHeaders({ hsts: cfg.http.hsts })],
    ['metricsEndpoint', deps.metrics && metricsEndpoint(deps.metrics.registry, cfg.metrics.allowedNetworks)],
    ['rateLimit', rateLimit(cfg.rateLimit, deps.limiterStore, resolveIp, deps.log)],
    ['contentValidation', contentValidation(cfg.http.bodyLimits)],
    ['clientIp', clientIp(resolveIp)],
    [
      'geoip',
      cfg.http.geoip && deps.countries
        ? geoip(cfg.http.geoip, deps.countries, resolveIp, deps.metrics?.recordGeoipDecision)
        : undefined,
    ],
    ['authenticate', deps.authenticate],
    ['trustedHost', trustedHost(cfg.http.allowedHosts, trustedPeer(cfg.http.trustedProxies))],
    ['cors', cors(cfg.http.corsOrigins)],
    ['requestId', requestId()],
  ];
  const enabled = (list: [LayerName, Middleware | undefined][]) =>
    list
      .filter(
        (entry): entry is [LayerName, Middleware] =>
          entry[1] !== undefined && !cfg.http.disabledLayers.includes(entry[0]),
      )
      .map(([, layer]) => layer);
  return [
    ...enabled(outer),
    errorBoundary(deps.log, cfg.http.exposeErrorDetails, !cfg.hipaa.enabled),
    ...enabled(layers),
  ];
}
