import { readFileSync } from 'node:fs';
import type { Stage } from '@platform/charts/contract';
import { parse } from 'yaml';
import { parseStageConfig } from './parse-stage-config.js';
import type { StageConfig } from './stage-config.js';

const infraDir = new URL('../../', import.meta.url);

/** The raw `config:` map of Pulumi.<stage>.yaml, as committed. */
export function readStackFile(stage: string): Record<string, unknown> {
  const file = new URL(`Pulumi.${stage}.yaml`, infraDir);
  const doc = parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null;
  return doc?.config ?? {};
}

/** Reads and validates a stage's committed stack file, without the Pulumi engine (tests, stage:diff, policies). */
export function loadStageConfig(stage: Stage | string): StageConfig {
  return parseStageConfig(stage, readStackFile(stage));
}
