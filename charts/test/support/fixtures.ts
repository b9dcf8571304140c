import { localImage } from '../../src/config/image-reference.js';
import { type Stage, stages } from '../../src/contract.js';
import {
  type KubeObject,
  type SynthesizedEnvironment,
  synthEnvironment,
} from '../../src/synth/synth-environment.js';

/** A digest as CI would pass it: a real-looking registry path, not the placeholder. */
export const releaseImage = `ghcr.io/platform-org/platform-api@sha256:${'3f'.repeat(32)}`;

export function imageFor(env: Stage): string {
  return env === 'local' ? localImage : releaseImage;
}

export const synthesized: ReadonlyArray<SynthesizedEnvironment> = stages.map((env) =>
  synthEnvironment(env, { image: imageFor(env) }),
);

export function only(result: SynthesizedEnvironment, kind: string, name?: string): KubeObject {
  const matches = result.objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (matches.length !== 1)
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${matches.length}`);
  return matches[0]!;
}

export function all(result: SynthesizedEnvironment, kind: string): KubeObject[] {
  return result.objects.filter((o) => o.kind === kind);
}
