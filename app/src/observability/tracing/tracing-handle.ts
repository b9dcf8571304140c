/**
 * The running SDK's shutdown, kept apart from the SDK itself: main imports this to flush spans at exit without
 * loading OpenTelemetry when the bootstrap was not used.
 */
let shutdown: (() => Promise<void>) | undefined;

export function setTracingShutdown(stop: () => Promise<void>): void {
  shutdown = stop;
}

/**
 * Exports the spans still buffered and stops tracing; the last requests' spans are lost if the process exits
 * first. Bounded, so an unreachable collector cannot hold the exit past the pod's grace period.
 */
export async function flushTracing(timeoutMs = 3000): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  if (!stop) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    stop().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
