import type { Stage } from '@platform/charts/contract';
import { loadStageConfig, readStackFile } from '../config/index.js';
import type { RegisteredResource } from '../testing/index.js';
import { type Difference, diffTrees } from './tree-diff.js';

export interface StageDiff {
  stages: [Stage, Stage];
  /** Stack config values, by `namespace:key.path`. */
  config: Difference[];
  /** Registered resources (`Kind name`) with the inputs that differ; a resource on one side only is one row. */
  resources: { resource: string; differences: Difference[] }[];
}

/** `kubernetes:postgresql.cnpg.io/v1:Cluster` -> `Cluster`; `platform:redis:Redis` -> `Redis`. */
const shortType = (type: string) => type.split(':').at(-1) ?? type;

function byResource(resources: readonly RegisteredResource[]): Record<string, RegisteredResource> {
  return Object.fromEntries(resources.map((r) => [`${shortType(r.type)} ${r.name}`, r]));
}

/**
 * What differs between two stages: their validated stack config and the resources the program registers for
 * each (run under mocks, so nothing is contacted). `resourcesOf` is injected to keep this pure and testable.
 */
export async function diffStages(
  left: Stage,
  right: Stage,
  resourcesOf: (stage: Stage) => Promise<RegisteredResource[]>,
): Promise<StageDiff> {
  // Validate both first: a diff of an invalid stage would be a diff of garbage.
  loadStageConfig(left);
  loadStageConfig(right);
  const config = diffTrees(readStackFile(left), readStackFile(right));

  const leftResources = byResource(await resourcesOf(left));
  const rightResources = byResource(await resourcesOf(right));
  const names = [...new Set([...Object.keys(leftResources), ...Object.keys(rightResources)])].sort();
  const resources = names
    .map((resource) => {
      const [l, r] = [leftResources[resource], rightResources[resource]];
      const differences =
        l && r
          ? diffTrees(l.inputs, r.inputs)
          : [{ path: '', left: l ? 'registered' : undefined, right: r ? 'registered' : undefined }];
      return { resource, differences };
    })
    .filter((entry) => entry.differences.length > 0);

  return { stages: [left, right], config, resources };
}
