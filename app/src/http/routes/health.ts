import { z } from 'zod';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import { Unavailable } from '../../shared/errors.js';
import { type ApiRoute, route } from '../api/api-route.js';
import { healthPaths } from './paths.js';
import { cachedChecks, type ReadinessCheck, runChecks } from './readiness.js';

export interface HealthDeps {
  readonly checks: readonly ReadinessCheck[];
  /** Where a failed check's error goes (the probe answer carries only names and states). */
  readonly log?: Pick<Logger, 'warn'>;
  /** False from the first shutdown signal on: the load balancer must stop sending before we stop serving. */
  readonly isAcceptingTraffic: () => boolean;
}

const checkResult = z.object({ name: z.string(), critical: z.boolean(), status: z.enum(['up', 'down']) });

// The checks travel in the problem response so the operator sees which dependency failed; why is in the log.
const notReady = (message: string, checks: unknown[]) => new Unavailable(message, undefined, { checks });

export function healthRoutes(
  cfg: Pick<Config, 'version' | 'tier' | 'readiness'>,
  deps: HealthDeps,
): ApiRoute[] {
  const checks = cachedChecks(
    () =>
      runChecks(deps.checks, cfg.readiness.timeoutMs, ({ name, error, latencyMs }) =>
        deps.log?.warn({ check: name, err: error, latencyMs }, 'readiness check failed'),
      ),
    cfg.readiness.cacheMs,
  );
  return [
    route({
      method: 'get',
      path: healthPaths.live,
      operationId: 'live',
      summary: 'Liveness: the process is up (depends on nothing)',
      tag: 'health',
      access: 'public',
      success: {
        status: 200,
        description: 'Alive',
        schema: z.object({ status: z.literal('ok'), version: z.string(), tier: z.string() }),
      },
      handle: () => ({ status: 'ok', version: cfg.version, tier: cfg.tier }),
    }),
    route({
      method: 'get',
      path: healthPaths.ready,
      operationId: 'ready',
      summary:
        'Readiness: every critical dependency answers (others may be degraded) and no shutdown is under way',
      tag: 'health',
      access: 'public',
      internal: true,
      success: {
        status: 200,
        description: 'Ready',
        schema: z.object({ status: z.enum(['ready', 'degraded']), checks: z.array(checkResult) }),
      },
      errors: [503],
      handle: async () => {
        if (!deps.isAcceptingTraffic()) throw notReady('The service is shutting down.', []);
        const results = await checks();
        const down = results.filter((check) => check.status === 'down');
        const critical = down.filter((check) => check.critical).map((check) => check.name);
        if (critical.length > 0) throw notReady(`Not ready: ${critical.join(', ')} unavailable.`, results);
        return { status: down.length > 0 ? 'degraded' : 'ready', checks: results };
      },
    }),
  ];
}
