import { createServer } from 'node:http';
import { createApp } from './app.js';
import { answerClientError } from './http/problems/client-error.js';
import { openDependenciesOrExit } from './lifecycle/dependencies-or-exit.js';
import { gracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { localUserFor, printCreatedAdmin } from './lifecycle/local-user.js';
import { startupConfigOrExit } from './lifecycle/startup-config.js';
import { markStartup, startupPhases } from './lifecycle/startup-timing.js';
import { seedAdmin } from './modules/users/seed-admin.js';
import { closeErrorReporting, startErrorReporting } from './observability/error-reporting/error-reporting.js';
import { exitOnUncaughtErrors } from './observability/error-reporting/exit-on-uncaught-errors.js';
import { createLogger } from './observability/logger.js';
import { flushTracing } from './observability/tracing/tracing-handle.js';

// Every static import above has been loaded and evaluated by the time this line runs.
markStartup('modules');
const { cfg, vault } = await startupConfigOrExit();
markStartup('config');
const log = createLogger(cfg);
exitOnUncaughtErrors(log);
// The SDK loads (with SENTRY_DSN only) while the dependencies connect, and is ready before the first request.
const errorReporting = startErrorReporting(cfg.errorReporting, log);
const deps = await openDependenciesOrExit(cfg, log, { vault });
markStartup('dependencies');
if (cfg.seed.adminEmail) {
  const seeded = await seedAdmin(deps.uow, cfg.seed.adminEmail);
  if (seeded) printCreatedAdmin(seeded);
}
const localUser = await localUserFor(cfg, deps.uow, log);
await errorReporting;
const server = createServer();
// Longer than the load balancers' idle timeout, so they never reuse a connection we are closing.
server.keepAliveTimeout = 65_000;
// Requests Node cannot parse never reach Koa: answer them as problem+json too.
server.on('clientError', answerClientError);
const shutdown = gracefulShutdown({
  server,
  timeoutMs: cfg.shutdown.timeoutMs,
  log,
  closeDependencies: () => deps.close(),
});
const app = createApp(cfg, { ...deps, isAcceptingTraffic: shutdown.isAcceptingTraffic, localUser });
server.on('request', app.callback());
markStartup('app');
server.listen(cfg.http.port, cfg.http.host, () => {
  markStartup('listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.http.port;
  log.info(
    { port, tier: cfg.tier, version: cfg.version, database: cfg.database.kind, startupMs: startupPhases() },
    `listening on :${port}`,
  );
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, timeoutMs: cfg.shutdown.timeoutMs }, 'draining');
    shutdown.drain().then(
      ({ timedOut }) => {
        log.info({ timedOut }, 'stopped');
        // The last requests' spans and error events are still buffered: send them before the process is gone.
        void Promise.all([flushTracing(), closeErrorReporting()]).then(() =>
          log.flush(() => process.exit(0)),
        );
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        void Promise.all([flushTracing(), closeErrorReporting()]).then(() =>
          log.flush(() => process.exit(1)),
        );
      },
    );
  });
}
