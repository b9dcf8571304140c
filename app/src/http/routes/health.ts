import Router from '@koa/router';
import type { Config } from '../../config/index.js';
import { Unavailable } from '../../shared/errors.js';
import { healthPaths } from './paths.js';
import { type ReadinessCheck, runChecks } from './readiness.js';

export interface HealthDeps {
  readonly checks: readonly ReadinessCheck[];
  /** False from the first shutdown signal on: the load balancer must stop sending before we stop serving. */
  readonly isAcceptingTraffic: () => boolean;
}

// The checks travel in the problem response so the operator sees which dependency failed and how slowly.
const notReady = (message: string, checks: unknown[]) => new Unavailable(message, undefined, { checks });

export function healthRoutes(cfg: Pick<Config, 'version' | 'tier' | 'readiness'>, deps: HealthDeps): Router {
  const router = new Router();
  router.get(healthPaths.live, (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok', version: cfg.version, tier: cfg.tier };
  });
  router.get(healthPaths.ready, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (!deps.isAcceptingTraffic()) throw notReady('The service is shutting down.', []);
    const checks = await runChecks(deps.checks, cfg.readiness.timeoutMs);
    const down = checks.filter((check) => check.status === 'down').map((check) => check.name);
    if (down.length > 0) throw notReady(`Not ready: ${down.join(', ')} unavailable.`, checks);
    ctx.body = { status: 'ready', checks };
  });
  return router;
}
