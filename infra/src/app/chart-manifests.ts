import { type SynthesizedEnvironment, synthEnvironment } from '@platform/charts';
import type { Stage } from '@platform/charts/contract';

/** The service's objects for a stage, synthesized in-process by charts/ with the stack's image reference. */
export function serviceManifests(stage: Stage, image: string): SynthesizedEnvironment {
  return synthEnvironment(stage, { image });
}
