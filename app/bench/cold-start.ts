import type { Findings } from './document.js';
import { median } from './figures.js';

// The phases main.ts and the telemetry bootstrap mark (src/lifecycle/startup-timing.ts), in words.
const phaseNames: Record<string, string> = {
  telemetry: 'telemetry bootstrap loaded',
  modules: "service's modules loaded",
  config: 'configuration read',
  dependencies: 'database, Redis and Vault connected',
  app: 'routes and layers built',
  listening: 'listening',
};

/** The start whose time to ready is the median one, with the phases it reported. */
export function medianStart(f: Findings) {
  const ready = median(f.coldStartMs);
  const index = f.coldStartMs.indexOf(ready);
  const phases = f.coldStartPhases?.[index] ?? {};
  // Each phase's own length: its mark minus the one before (the first counts from the process's start).
  let previous = 0;
  const lengths = Object.entries(phases).map(([phase, at]) => {
    const length = at - previous;
    previous = at;
    return { phase, name: phaseNames[phase] ?? phase, at, length };
  });
  return { ready, lengths };
}

/** "telemetry bootstrap loaded at 297 ms (297), service's modules loaded at 639 ms (342), ...". */
export function phasesLine(f: Findings): string | undefined {
  const { lengths } = medianStart(f);
  if (lengths.length === 0) return undefined;
  return lengths.map(({ name, at, length }) => `${name} at ${at} ms (+${length})`).join(', ');
}

/** Loading code (the telemetry bootstrap and the service's modules) as a share of the median start's ready time. */
export function loadingShare(f: Findings): number | undefined {
  const { ready, lengths } = medianStart(f);
  const modules = lengths.find(({ phase }) => phase === 'modules');
  return modules ? modules.at / ready : undefined;
}
