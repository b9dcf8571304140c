import type { z } from 'zod';
import { type StageConfig, stackConfigSchema, stageSchema } from './stage-config.js';

/** A stack configuration that does not fit the schema: one readable line per problem. */
export class StageConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid stage configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StageConfigError';
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const [key, ...rest] = issue.path.map(String);
  const where = [key, rest.join('.')].filter(Boolean).join('.');
  return `${where || '(root)'}: ${issue.message}`;
}

function imageReference(repository: string, digest?: string, tag?: string): string {
  return digest ? `${repository}@${digest}` : `${repository}:${tag}`;
}

/** Validates raw stack config (keys like `platform:postgres`) and returns the typed stage configuration. */
export function parseStageConfig(
  stage: string,
  raw: Record<string, unknown>,
  source = `Pulumi.${stage}.yaml`,
) {
  const stageName = stageSchema.safeParse(stage);
  const parsed = stackConfigSchema.safeParse(raw);
  const problems = [
    ...(stageName.success ? [] : [`stack name "${stage}" is not one of ${stageSchema.options.join(', ')}`]),
    ...(parsed.success ? [] : parsed.error.issues.map(describe)),
  ];
  if (!stageName.success || !parsed.success) throw new StageConfigError(source, problems);

  const cfg = parsed.data;
  const config: StageConfig = {
    stage: stageName.data,
    mesh: cfg['platform:mesh'],
    postgres: cfg['platform:postgres'],
    pooler: cfg['platform:pooler'],
    redis: cfg['platform:redis'],
    telemetry: cfg['platform:telemetry'],
    vault: cfg['platform:vault'],
    app: {
      image: imageReference(cfg['app:imageRepository'], cfg['app:imageDigest'], cfg['app:imageTag']),
      ...(cfg['app:imageDigest'] ? { digest: cfg['app:imageDigest'] } : {}),
    },
  };
  return Object.freeze(config);
}
