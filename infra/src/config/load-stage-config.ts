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

/**
 * What offline readers put where a deploy passes the digest: stack files hold none (a deploy passes it). The
 * program refuses this value (pulumi-stage-config.ts), so it never reaches a cluster.
 */
export const offlineImageDigest = `sha256:${'0'.repeat(64)}`;

/**
 * Reads and validates a stage's committed stack file, without the Pulumi engine (tests, stage:diff, policies).
 * A stage deployed by digest gets `offlineImageDigest` unless `overrides` names one, as `--config` would.
 */
export function loadStageConfig(stage: Stage | string, overrides: Record<string, unknown> = {}): StageConfig {
  const raw = readStackFile(stage);
  const byDigest = raw['app:imageTag'] === undefined && overrides['app:imageTag'] === undefined;
  const image = byDigest ? { 'app:imageDigest': offlineImageDigest } : {};
  return parseStageConfig(stage, { ...image, ...raw, ...overrides });
}
