import type { Logger } from '../logger.js';
import { closeErrorReporting, type ProcessErrorOrigin, reportProcessError } from './error-reporting.js';

/**
 * An error nothing caught ends the process, as Node's default does (exit code 1), but first it is logged once as
 * a fatal line (through the logger's redaction, where Node would print the raw stack) and reported, and both are
 * flushed. A rejected promise nobody awaited is treated the same way: Node's default (`--unhandled-rejections=
 * throw`) would crash on it too. For process entries only (the API and the worker), never for tests in-process.
 */
export function exitOnUncaughtErrors(log: Logger, flushTimeoutMs = 2000): void {
  let exiting = false;
  const exit = (error: unknown, origin: ProcessErrorOrigin) => {
    if (exiting) return;
    exiting = true;
    log.fatal(
      { err: error, origin },
      origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception',
    );
    reportProcessError(error, origin);
    // Whatever happens to the flushes below, the process does not outlive them by more than a second.
    setTimeout(() => process.exit(1), flushTimeoutMs + 1000).unref();
    void closeErrorReporting(flushTimeoutMs).then(() => log.flush(() => process.exit(1)));
  };
  process.on('uncaughtException', (error) => exit(error, 'uncaughtException'));
  process.on('unhandledRejection', (reason) => exit(reason, 'unhandledRejection'));
}
