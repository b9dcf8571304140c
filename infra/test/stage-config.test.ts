import { stages, vault } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import {
  readStackFile as committedStackFile,
  loadStageConfig,
  parseStageConfig,
  StageConfigError,
} from '../src/config/index.js';

const deployedDigest = `sha256:${'d'.repeat(64)}`;

/** A committed stack file with the digest a deploy passes (`--config app:imageDigest=...`) where it needs one. */
function readStackFile(stage: string): Record<string, unknown> {
  const raw = committedStackFile(stage);
  return raw['app:imageTag'] === undefined ? { ...raw, 'app:imageDigest': deployedDigest } : raw;
}

function problemsOf(stage: string, raw: Record<string, unknown>): readonly string[] {
  try {
    parseStageConfig(stage, raw);
  } catch (error) {
    if (error instanceof StageConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

/** A committed stack file with one value replaced (or removed, with `undefined`). */
function withChange(stage: string, key: string, path: string[], value: unknown): Record<string, unknown> {
  const raw = structuredClone(readStackFile(stage));
  if (path.length === 0) {
    raw[key] = value;
    if (value === undefined) delete raw[key];
    return raw;
  }
  let node = raw[key] as Record<string, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return raw;
}

describe('stage configuration', () => {
  it.each(stages)('the committed Pulumi.%s.yaml is valid', (stage) => {
    const config = loadStageConfig(stage);
    expect(config.stage).toBe(stage);
  });

  it.each(stages)(
    '%s logs the service in with the Vault role, policy and mounts terraform creates',
    (stage) => {
      const { vault: cfg } = loadStageConfig(stage);
      expect({ role: cfg.role, policy: cfg.policy, authMount: cfg.authMount, kvMount: cfg.kvMount }).toEqual({
        role: vault.role,
        policy: vault.policy,
        authMount: vault.authMount,
        kvMount: vault.kvMount,
      });
    },
  );

  it('a missing required key is reported with its full path', () => {
    const problems = problemsOf('prod', withChange('prod', 'platform:postgres', ['instances'], undefined));
    expect(problems).toEqual([
      'platform:postgres.instances: Invalid input: expected number, received undefined',
    ]);
  });

  it('a missing top-level key is reported by its stack config key', () => {
    const problems = problemsOf('dev', withChange('dev', 'platform:redis', [], undefined));
    expect(problems).toEqual(['platform:redis: Invalid input: expected object, received undefined']);
  });

  it('Redis topology and node count agree: standalone has no replicas, Sentinel needs a majority of three', () => {
    const standalone = problemsOf('dev', withChange('dev', 'platform:redis', ['replicas'], 2));
    expect(standalone).toEqual([
      'platform:redis.replicas: standalone has 0 replicas; sentinel needs at least 3 nodes for a majority to fail over',
    ]);
    const sentinel = problemsOf('prod', withChange('prod', 'platform:redis', ['replicas'], 2));
    expect(sentinel).toHaveLength(1);
  });

  it('a value of the wrong type is reported with what was expected', () => {
    const problems = problemsOf('staging', withChange('staging', 'platform:pooler', ['instances'], 'two'));
    expect(problems).toEqual(['platform:pooler.instances: Invalid input: expected number, received string']);
  });

  it('every problem gets its own line, and the message names the file', () => {
    let raw = withChange('prod', 'platform:mesh', ['mtls'], 'SOMETIMES');
    raw = { ...raw, 'platform:redis': { ...(raw['platform:redis'] as object), replicas: -1 } };
    const error = (() => {
      try {
        parseStageConfig('prod', raw);
      } catch (e) {
        return e as StageConfigError;
      }
    })();
    expect(error?.problems).toHaveLength(2);
    expect(error?.message.split('\n')[0]).toBe('Pulumi.prod.yaml is not a valid stage configuration:');
    expect(error?.problems[0]).toMatch(/^platform:mesh\.mtls: /);
    expect(error?.problems[1]).toMatch(/^platform:redis\.replicas: /);
  });

  it('a misspelt key inside a component is refused, not ignored', () => {
    const problems = problemsOf('dev', withChange('dev', 'platform:postgres', ['instnces'], 2));
    expect(problems.join('\n')).toContain('platform:postgres: Unrecognized key: "instnces"');
  });

  it('an unknown platform key is refused', () => {
    const problems = problemsOf('dev', { ...readStackFile('dev'), 'platform:postgress': {} });
    expect(problems).toEqual(['platform:postgress: unknown key']);
  });

  it('settings of other namespaces (kubernetes:context) pass through', () => {
    expect(() =>
      parseStageConfig('dev', { ...readStackFile('dev'), 'kubernetes:context': 'other' }),
    ).not.toThrow();
  });

  it('the image is pinned by exactly one of digest or tag', () => {
    const both = { ...readStackFile('prod'), 'app:imageTag': 'v1' };
    expect(problemsOf('prod', both)).toEqual([
      'app:imageDigest: set exactly one of app:imageDigest or app:imageTag',
    ]);
    const malformed = withChange('prod', 'app:imageDigest', [], 'sha256:abc');
    expect(problemsOf('prod', malformed)).toEqual(['app:imageDigest: expected sha256:<64 hex digits>']);
  });

  it('a stage deployed by digest, given none, says how to pass one and where the deployed one is', () => {
    expect(committedStackFile('prod')).not.toHaveProperty(['app:imageDigest']);
    expect(problemsOf('prod', committedStackFile('prod'))).toEqual([
      'app:imageDigest: no image digest given: pass the one to deploy (pulumi up --config app:imageDigest=sha256:...); ' +
        'the one deployed last is `pulumi stack output imageDigest`',
    ]);
  });

  it('a stack name that is not a stage is refused', () => {
    expect(problemsOf('qa', readStackFile('dev'))).toEqual([
      'stack name "qa" is not one of local, dev, staging, prod',
    ]);
  });

  it('the image reference joins repository and digest, or repository and tag', () => {
    expect(loadStageConfig('prod').app.image).toMatch(
      /^ghcr\.io\/platform-org\/platform-api@sha256:[0-9a-f]{64}$/,
    );
    expect(loadStageConfig('local').app.image).toBe('platform-api:dev');
  });
});
