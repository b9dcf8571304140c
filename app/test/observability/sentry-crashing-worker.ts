/**
 * A worker-like process for sentry-process-errors.test.ts: started as a process entry is (the exit hook, then
 * error reporting), it consumes "jobs" until one fails in a way nothing catches: `CRASH=rejection` leaves a
 * rejected promise unawaited, `CRASH=exception` throws from a timer. Never imported by the suite itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { toErrorReportingSettings } from '../../src/config/error-reporting-settings.js';
import { startErrorReporting } from '../../src/observability/error-reporting/error-reporting.js';
import { exitOnUncaughtErrors } from '../../src/observability/error-reporting/exit-on-uncaught-errors.js';
import { createLogger } from '../../src/observability/logger.js';

const log = createLogger({ log: { level: 'info', format: 'json' }, tier: 'dev', version: 'test' });
exitOnUncaughtErrors(log);
await startErrorReporting(
  toErrorReportingSettings({
    APP_ENV: 'dev',
    APP_VERSION: 'test',
    SENTRY_DSN: process.env.SENTRY_DSN,
    SENTRY_SAMPLE_RATE: 1,
  }),
  log,
);

async function handleJob(id: number): Promise<void> {
  await sleep(5);
  if (id < 3) return;
  throw new Error(`job ${id} failed calling the mailer with password=${process.env.PLANTED_PASSWORD}`);
}

// Consuming, as a worker does: only the exit hook ends this process.
setInterval(() => {}, 1000);
for (let id = 1; id <= 3; id += 1) {
  if (process.env.CRASH === 'exception' && id === 3) {
    setTimeout(() => {
      throw new Error(`timer for job ${id} failed with token ${process.env.PLANTED_JWT}`);
    }, 5);
  } else {
    void handleJob(id);
  }
}
log.info('consuming');
