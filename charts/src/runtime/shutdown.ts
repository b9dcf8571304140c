import type { Environment } from '../config/environment-schema.js';

/** How a process is stopped: an optional pause before SIGTERM, then the time it has before SIGKILL. */
export interface ShutdownBudget {
  /** Pause before SIGTERM so endpoint removal propagates; only for pods behind a Service. */
  readonly preStopSeconds?: number;
  readonly gracePeriodSeconds: number;
}

/** Margin for the sidecar and the kubelet on top of the preStop pause and the API's own drain bound. */
const apiMarginSeconds = 5;

/**
 * After its jobs, the worker closes Redis and Postgres and flushes telemetry (the OTLP exporter may wait up to
 * its 10 s timeout), so its margin is wider than the API's.
 */
const workerMarginSeconds = 15;

/** The API drains in-flight requests for SHUTDOWN_TIMEOUT_MS after a preStop pause. */
export function apiShutdown(env: Environment): ShutdownBudget {
  const { preStopSeconds, drainTimeoutMs } = env.shutdown;
  return {
    preStopSeconds,
    gracePeriodSeconds: preStopSeconds + Math.ceil(drainTimeoutMs / 1000) + apiMarginSeconds,
  };
}

/**
 * The worker finishes its active jobs on SIGTERM. A job that outlives the grace period is killed and, after the
 * lock duration, taken over by another worker (handlers are idempotent); a grace period longer than the lock
 * lets every job that is still renewing its lock end here instead. No preStop: no Service sends it traffic.
 */
export function workerShutdown(env: Environment): ShutdownBudget {
  return { gracePeriodSeconds: Math.ceil(env.worker.lockDurationMs / 1000) + workerMarginSeconds };
}
