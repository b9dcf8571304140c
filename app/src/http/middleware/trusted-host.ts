import type { Middleware } from 'koa';
import { isHealthPath } from '../routes/paths.js';

/**
 * Answers only for the hosts we serve (defends against Host-header poisoning of generated links). Health
 * probes are exempt: the kubelet addresses pods by IP.
 */
export function trustedHost(allowedHosts: readonly string[]): Middleware | undefined {
  if (allowedHosts.length === 0) return undefined;
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  return function trustedHost(ctx, next) {
    if (!allowed.has(ctx.hostname.toLowerCase()) && !isHealthPath(ctx.path)) {
      ctx.throw(400, `Host "${ctx.hostname}" is not served here.`, { problem: 'untrusted-host' });
    }
    return next();
  };
}
