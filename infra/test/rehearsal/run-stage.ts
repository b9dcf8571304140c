import { fileURLToPath } from 'node:url';
import type { Stage } from '@platform/charts/contract';
import { type ProgramRun, runPulumiProgram } from './language-host/launch-program.js';

export type { ProgramRun } from './language-host/launch-program.js';

const infraDirectory = fileURLToPath(new URL('../../', import.meta.url));
const runs = new Map<string, Promise<ProgramRun>>();

/**
 * The platform program for one stage, started from `infra/` exactly as `pulumi up -s <stage>` starts it
 * (see language-host/README.md), with `--config` overrides such as `app:imageDigest`. One process per stage
 * and set of overrides; repeated calls in the same test process share the run.
 */
export function runStage(
  stage: Stage,
  options: { config?: Record<string, string> } = {},
): Promise<ProgramRun> {
  const key = JSON.stringify([stage, Object.entries(options.config ?? {}).sort()]);
  let run = runs.get(key);
  if (!run) {
    run = runPulumiProgram(infraDirectory, stage, options);
    runs.set(key, run);
  }
  return run;
}
