import type Router from '@koa/router';
import Koa from 'koa';
import type { Config } from './config/index.js';
import type { Dependencies } from './dependencies.js';
import { pipeline } from './http/pipeline.js';
import { healthRoutes } from './http/routes/health.js';

export interface AppDeps extends Dependencies {
  /** Readiness turns false when shutdown begins. */
  readonly isAcceptingTraffic: () => boolean;
}

/** The service as a Koa app, built only from what it is given: tests build theirs with their own deps. */
export function createApp(cfg: Config, deps: AppDeps): Koa {
  const app = new Koa({ proxy: cfg.http.trustedProxies.length > 0, maxIpsCount: cfg.http.maxIpsCount });
  app.silent = true; // the error boundary logs what deserves it; Koa's own printer would log twice

  for (const layer of pipeline(cfg, deps)) app.use(layer);

  const routers: Router[] = [
    healthRoutes(cfg, { checks: deps.readinessChecks, isAcceptingTraffic: deps.isAcceptingTraffic }),
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
