import * as pulumi from '@pulumi/pulumi';
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

const placeholderDigest = `sha256:${'0'.repeat(64)}`;

/**
 * The running stack's configuration, as the Pulumi engine hands it to the program, validated. Committed stack
 * files carry an all-zero digest until the first promotion; deploying it would only produce ImagePullBackOff.
 */
export function stageConfigFromEngine(): StageConfig {
  const raw = Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig()).map(([key, value]) => [key, decode(value)]),
  );
  if (raw['app:imageDigest'] === placeholderDigest) {
    throw new StageConfigError(`stack ${pulumi.getStack()}`, [
      'app:imageDigest: still the all-zero placeholder; promote a built image first ' +
        '(pulumi config set app:imageDigest sha256:...)',
    ]);
  }
  return parseStageConfig(pulumi.getStack(), raw, `stack ${pulumi.getStack()}`);
}
