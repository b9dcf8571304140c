/**
 * Where a start's time goes, for the "listening" line: each phase is a User Timing mark named `startup:<phase>`,
 * so the telemetry bootstrap (loaded by `--import`, before the service's own modules) can mark its end without
 * importing anything of the service. Times are milliseconds since the process started (`performance.now()`
 * counts from the process's time origin), so they include Node's own start.
 */
const prefix = 'startup:';

export const markStartup = (phase: string) => performance.mark(`${prefix}${phase}`);

/** Every phase marked so far, in the order it was reached, with the time it was reached. */
export function startupPhases(): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const mark of performance.getEntriesByType('mark')) {
    if (mark.name.startsWith(prefix)) phases[mark.name.slice(prefix.length)] = Math.round(mark.startTime);
  }
  return phases;
}
