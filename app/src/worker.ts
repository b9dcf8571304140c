import { createServer } from 'node:http';
import Koa from 'koa';
import { registerRoutes } from './http/api/register-routes.js';
import { errorBoundary } from './http/problems/error-boundary.js';
import { healthRoutes } from './http/routes/health.js';
import { metricsEndpoint } from './http/routes/metrics.js';
import { openDependenciesOrExit } from './lifecycle/dependencies-or-exit.js';
import { startupConfigOrExit } from './lifecycle/startup-config.js';
import { closeErrorReporting, startErrorReporting } from './observability/error-reporting/error-reporting.js';
import { exitOnUncaughtErrors } from './observability/error-reporting/exit-on-uncaught-errors.js';
import { createLogger } from './observability/logger.js';
import { createRetentionMetrics } from './observability/retention-metrics.js';
import { createWorkerMetrics } from './observability/worker-metrics.js';
import { startEventWorker } from './worker/event-worker.js';
import { startRetentionJob } from './worker/retention-job.js';
import { trackQueueAndOutbox } from './worker/scrape-time-metrics.js';

// `npm run worker`: the event consumer, its own process with its own health endpoints and /metrics (WORKER_PORT).
const { cfg, vault } = await startupConfigOrExit();
const log = createLogger(cfg).child({ process: 'worker' });
exitOnUncaughtErrors(log);
await startErrorReporting(cfg.errorReporting, log);
const deps = await openDependenciesOrExit(cfg, log, { vault });
const workerMetrics = createWorkerMetrics(deps.metrics.registry);
const worker = startEventWorker(cfg, deps.uow, log, workerMetrics);
const scrapeTime = trackQueueAndOutbox(cfg, deps.uow, workerMetrics);
const retention = await startRetentionJob(cfg, deps.uow, log, createRetentionMetrics(deps.metrics.registry));

let draining = false;
const health = new Koa();
health.use(errorBoundary(log, cfg.http.exposeErrorDetails));
// The API's /metrics, allow-list included: only METRICS_ALLOWED_NETWORKS may read it.
health.use(metricsEndpoint(deps.metrics.registry, cfg.metrics.allowedNetworks));
const checks = [
  ...deps.readinessChecks,
  {
    name: 'worker',
    check: async () => {
      if (!worker.isRunning()) throw new Error('not consuming');
    },
  },
];
health.use(registerRoutes(healthRoutes(cfg, { checks, isAcceptingTraffic: () => !draining })).routes());
const server = createServer(health.callback());
server.listen(cfg.events.worker.port, cfg.http.host, () =>
  log.info({ port: cfg.events.worker.port }, 'worker consuming; health endpoints listening'),
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    draining = true;
    log.info({ signal }, 'worker stopping: finishing active jobs');
    await worker.close(); // waits for the jobs in hand; the rest stay queued
    await retention.close(); // a run in hand finishes its batch; the rest waits for the next tick
    server.close();
    await scrapeTime.close();
    await deps.close();
    await closeErrorReporting();
    log.flush(() => process.exit(0));
  });
}
