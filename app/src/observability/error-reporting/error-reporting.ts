import type { ErrorReportingSettings } from '../../config/error-reporting-settings.js';
import type { Logger } from '../logger.js';

/** What the error boundary knows of a request whose error became a 5xx. */
export interface RequestError {
  readonly requestId: string;
  readonly method: string;
  /** The route template (`/api/v1/items/{id}`), never the raw path. */
  readonly route: string;
  readonly status: number;
  /** False for our own faults (a bug, an unknown error); true for a 5xx a layer chose (503 from a breaker). */
  readonly handled: boolean;
}

export type ProcessErrorOrigin = 'uncaughtException' | 'unhandledRejection';

export interface ErrorReporter {
  request(error: unknown, details: RequestError): void;
  process(error: unknown, origin: ProcessErrorOrigin): void;
  /** Sends what is still queued and stops; resolves false when the timeout came first. */
  close(timeoutMs: number): Promise<boolean>;
}

let reporter: ErrorReporter | undefined;

/**
 * Starts error reporting when a DSN is configured. The Sentry SDK is imported here and only here, so a service
 * without a DSN never loads it (loading it costs most of a second of start-up).
 */
export async function startErrorReporting(
  settings: ErrorReportingSettings | undefined,
  log: Logger,
): Promise<boolean> {
  if (!settings || reporter) return false;
  try {
    const { startSentry } = await import('./sentry-reporter.js');
    reporter = startSentry(settings);
  } catch (error) {
    // Reporting errors is never a reason for the service not to serve.
    log.error({ err: error }, 'error reporting could not start; continuing without it');
    return false;
  }
  log.info(
    {
      sentryHost: new URL(settings.dsn).host,
      environment: settings.environment,
      sampleRate: settings.sampleRate,
    },
    'reporting errors to Sentry',
  );
  return true;
}

/** An error that became a 5xx response. Does nothing when reporting is off. */
export function reportRequestError(error: unknown, details: RequestError): void {
  reporter?.request(error, details);
}

/** An error nothing caught: the process is about to exit. Does nothing when reporting is off. */
export function reportProcessError(error: unknown, origin: ProcessErrorOrigin): void {
  reporter?.process(error, origin);
}

/**
 * Sends the events still queued and stops reporting. Bounded, so an unreachable Sentry cannot hold the exit past
 * the pod's grace period.
 */
export async function closeErrorReporting(timeoutMs = 2000): Promise<void> {
  const closing = reporter;
  reporter = undefined;
  if (!closing) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    closing.close(timeoutMs).catch(() => false),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
