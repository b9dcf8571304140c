import type { Middleware } from 'koa';
import type { CountryLookup } from '../../adapters/geoip/country-database.js';
import type { GeoipSettings } from '../../config/geoip-settings.js';
import { isHealthPath } from '../routes/paths.js';
import type { ClientIpResolver } from './client-ip.js';

export type GeoipDecision = 'allowed' | 'denied';

/**
 * Serves or refuses a request by its client's country. The address is the resolved one (clientIpResolver:
 * X-Forwarded-For only from a trusted proxy), never Koa's `ctx.ip`, which believes the header from any peer
 * once `proxy` is on: a spoofed header must not choose the country. Health probes are exempt, as from the
 * rate limiter and the host check: the kubelet and load balancers probe from addresses with no country (or
 * a cloud's), and a refused probe takes every replica out of service. GET /metrics never reaches this layer
 * (answered earlier, to METRICS_ALLOWED_NETWORKS only). The 403 names neither the country found nor the
 * database.
 */
export function geoip(
  settings: GeoipSettings,
  countries: CountryLookup,
  clientIp: ClientIpResolver,
  record?: (decision: GeoipDecision, country: string) => void,
): Middleware {
  const listed = new Set(settings.policy.countries);
  const serves = (country: string | undefined) =>
    country === undefined
      ? settings.unknown === 'allow'
      : listed.has(country) === (settings.policy.kind === 'allow');
  return function geoip(ctx, next) {
    if (isHealthPath(ctx.path)) return next();
    const country = countries.countryOf(clientIp(ctx));
    const allowed = serves(country);
    record?.(allowed ? 'allowed' : 'denied', country ?? 'unknown');
    if (!allowed) {
      ctx.throw(403, 'This service is not available from where the request was sent.', {
        problem: 'geo-blocked',
      });
    }
    return next();
  };
}
