import { BlockList, isIPv6 } from 'node:net';
import type { Middleware } from 'koa';
import type { Registry } from 'prom-client';

export const metricsPath = '/metrics';

function allowList(networks: readonly string[]): (address: string) => boolean {
  if (networks.length === 0) return () => true;
  const allowed = new BlockList();
  for (const entry of networks) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix) allowed.addSubnet(address, Number(prefix), type);
    else allowed.addAddress(address, type);
  }
  return (address) => {
    const plain = address.replace(/^::ffff:/, '');
    return allowed.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}

/**
 * GET /metrics in the Prometheus text format, on the service port. Answered before the rate limiter and the
 * trusted-host check: the scraper addresses pods by IP, every few seconds. Only peers on the allowed networks
 * may read it (the TCP peer, never a forwarded header); others get the same 404 as any unknown path.
 */
export function metricsEndpoint(registry: Registry, allowedNetworks: readonly string[]): Middleware {
  const isAllowed = allowList(allowedNetworks);
  return async function metricsEndpoint(ctx, next) {
    if (ctx.path !== metricsPath || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.state.routeTemplate = metricsPath;
    if (!isAllowed(ctx.socket.remoteAddress ?? '')) {
      ctx.status = 404;
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  };
}
