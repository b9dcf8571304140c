import { BlockList, isIPv6 } from 'node:net';
import type { Context, Middleware } from 'koa';

export type ClientIpResolver = (ctx: Context) => string;

/**
 * Koa's `proxy` mode believes X-Forwarded-For from anyone. We believe it only when the peer is one of the
 * trusted proxies (addresses or CIDR ranges), and then take at most `maxIpsCount` hops (Koa's own rule).
 */
export function clientIpResolver(trustedProxies: readonly string[]): ClientIpResolver {
  const fromTrustedProxy = trustedPeer(trustedProxies);
  return (ctx) => (fromTrustedProxy(ctx) ? ctx.request.ip : (ctx.socket.remoteAddress ?? ''));
}

/**
 * Whether this request's TCP peer is one of the trusted proxies (addresses or CIDR ranges): the one test for
 * believing any X-Forwarded-* header (client address here, host in trusted-host.ts).
 */
export function trustedPeer(trustedProxies: readonly string[]): (ctx: Context) => boolean {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address, prefix] = entry.split('/');
    const type = isIPv6(address ?? '') ? 'ipv6' : 'ipv4';
    if (prefix) trusted.addSubnet(address!, Number(prefix), type);
    else trusted.addAddress(address!, type);
  }
  return (ctx) => {
    const peer = ctx.socket.remoteAddress ?? '';
    return trustedProxies.length > 0 && trusted.check(peer, isIPv6(peer) ? 'ipv6' : 'ipv4');
  };
}

/** Sets `ctx.ip` to the resolved client address for every layer and handler below. */
export function clientIp(resolve: ClientIpResolver): Middleware {
  return function clientIp(ctx, next) {
    ctx.request.ip = resolve(ctx);
    return next();
  };
}
