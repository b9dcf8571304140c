import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Stage } from '@platform/charts/contract';
import { parse } from 'yaml';

const repoFile = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

/** Images Skaffold builds and loads into the cluster itself (skaffold.yaml `build.artifacts[].image`). */
export function skaffoldArtifacts(): string[] {
  const skaffold = parse(readFileSync(repoFile('skaffold.yaml'), 'utf8')) as {
    build?: { artifacts?: { image: string }[] };
  };
  return (skaffold.build?.artifacts ?? []).map((artifact) => artifact.image);
}

/**
 * The images a stage gets from Skaffold instead of a registry: those of a stack that deploys the app by
 * `app:imageTag` (the tag Skaffold builds and swaps in; Pulumi.<stage>.yaml), none where a digest is promoted.
 */
export function builtLocallyIn(stage: Stage): string[] {
  const stack = parse(readFileSync(repoFile(`infra/Pulumi.${stage}.yaml`), 'utf8')) as {
    config?: Record<string, unknown>;
  };
  return stack.config?.['app:imageTag'] === undefined ? [] : skaffoldArtifacts();
}
