import type { Shell } from './shell.js';
import type { Step } from './steps.js';

/** Runs steps in order with progress per step; a step whose `done` probe holds is skipped. */
export async function runSteps(steps: Step[], sh: Shell, log: (line: string) => void) {
  for (const [index, step] of steps.entries()) {
    const label = `[${index + 1}/${steps.length}] ${step.title}`;
    if (step.done?.(sh)) {
      log(`${label}: already done`);
      continue;
    }
    log(`${label} ...`);
    const started = Date.now();
    await step.run(sh);
    log(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}
