import * as pulumi from '@pulumi/pulumi';
import { offlineImageDigest } from './load-stage-config.js';
import { parseStageConfig, StageConfigError } from './parse-stage-config.js';
import type { StageConfig } from './stage-config.js';

/** Structured values reach the program as JSON strings; scalars stay strings. */
function decode(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The running stack's configuration, as the Pulumi engine hands it to the program, validated. A stage deployed
 * by digest gets it from the deploy (`--config app:imageDigest=...`); without one, parsing says how to pass it.
 * The all-zero digest offline readers use would only produce ImagePullBackOff: refused.
 */
export function stageConfigFromEngine(): StageConfig {
  const raw = Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig()).map(([key, value]) => [key, decode(value)]),
  );
  if (raw['app:imageDigest'] === offlineImageDigest) {
    throw new StageConfigError(`stack ${pulumi.getStack()}`, [
      'app:imageDigest: the all-zero placeholder names no image; pass a built one ' +
        '(pulumi up --config app:imageDigest=sha256:...)',
    ]);
  }
  return parseStageConfig(pulumi.getStack(), raw, `stack ${pulumi.getStack()}`);
}
