import type { Context, Middleware } from 'koa';
import { isHealthPath } from '../routes/paths.js';

/**
 * Answers only for the hosts we serve (defends against Host-header poisoning of generated links). Health
 * probes are exempt: the kubelet addresses pods by IP. The host checked is X-Forwarded-Host only when the
 * peer is a trusted proxy; from anyone else it is the Host header. (Koa's `ctx.hostname` believes
 * X-Forwarded-Host from every peer as soon as `app.proxy` is on.)
 */
export function trustedHost(
  allowedHosts: readonly string[],
  fromTrustedProxy: (ctx: Context) => boolean,
): Middleware | undefined {
  if (allowedHosts.length === 0) return undefined;
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  return function trustedHost(ctx, next) {
    const host = fromTrustedProxy(ctx) ? ctx.hostname : hostnameOf(ctx.get('host'));
    if (!allowed.has(host.toLowerCase()) && !isHealthPath(ctx.path)) {
      ctx.throw(400, `Host "${host}" is not served here.`, { problem: 'untrusted-host' });
    }
    return next();
  };
}

/** The Host header without its port (`[::1]:3000` -> `[::1]`), as Koa's `ctx.hostname` spells it. */
function hostnameOf(header: string): string {
  try {
    return header ? new URL(`http://${header}`).hostname : '';
  } catch {
    return '';
  }
}
