import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackFile } from '@platform/infra/stage-config';
import { afterEach, describe, expect, it } from 'vitest';
import { previousDigest, type StackUpdate } from '../../../.github/scripts/previous-digest.js';
import { expression, repositoryRoot, type Step, workflow } from '../support/workflows.js';
import { stepsThatRun } from './job-conditions.js';
import { pullRequest } from './triggers.js';

const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const preview = workflow('infra-preview.yml');
const previewSteps = preview.jobs.preview?.steps ?? [];
const readDeployed = previewSteps.find((step) => step.id === 'deployed') as Step;
const previewStep = previewSteps.find((step) => step.with?.command === 'preview') as Step;
const rollback = workflow('rollback.yml');
const resolveStep = rollback.jobs.resolve?.steps?.find((step) => step.id === 'digest') as Step;

const temporary: string[] = [];
afterEach(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/**
 * Runs a step's script as the runner would (`bash -e`), with a stand-in `pulumi` on PATH that prints `stdout`
 * or, given `stderr`, fails with it, as the real CLI does.
 */
function runStep(step: Step, env: Record<string, string>, pulumi: { stdout?: string; stderr?: string }) {
  const directory = mkdtempSync(join(tmpdir(), 'step-'));
  temporary.push(directory);
  const fake = join(directory, 'pulumi');
  writeFileSync(
    fake,
    pulumi.stderr === undefined
      ? `#!/bin/sh\ncat <<'JSON'\n${pulumi.stdout ?? ''}\nJSON\n`
      : `#!/bin/sh\necho '${pulumi.stderr}' >&2\nexit 255\n`,
  );
  chmodSync(fake, 0o755);
  const output = join(directory, 'output');
  writeFileSync(output, '');
  const result = spawnSync('bash', ['-e', '-c', step.run ?? ''], {
    cwd: directory,
    encoding: 'utf8',
    env: { PATH: `${directory}:${process.env.PATH}`, GITHUB_OUTPUT: output, ...env },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: readFileSync(output, 'utf8'),
  };
}

describe('the deployed digest lives in the stack, not in the stack files', () => {
  it.each(['dev', 'staging', 'prod'])('Pulumi.%s.yaml keeps no digest: each deploy passes one', (stage) => {
    expect(readStackFile(stage)).not.toHaveProperty(['app:imageDigest']);
  });
});

describe('infra-preview.yml previews each stage with the image deployed there', () => {
  const env = { STAGE: 'staging', STACK: 'org/platform/staging' };

  it('reads the digest from the stack output the program exports', () => {
    expect(readDeployed.env?.STACK).toBe(
      `${expression('vars.PULUMI_ORG')}/platform/${expression('matrix.stage')}`,
    );
    const ran = runStep(readDeployed, env, {
      stdout: JSON.stringify({ imageDigest: digest('a'), redisHost: 'x' }),
    });
    expect(ran.status).toBe(0);
    expect(ran.output.trim()).toBe(`digest=${digest('a')}`);
    const source = readFileSync(join(repositoryRoot, 'infra/src/index.ts'), 'utf8');
    expect(source).toMatch(/^export const imageDigest = /m);
  });

  it.each([
    ['a stack that was never created', { stderr: "error: no stack named 'org/platform/staging' found" }],
    ['a stack with no imageDigest output', { stdout: '{}' }],
  ])('skips %s with a notice', (_case, pulumi) => {
    const ran = runStep(readDeployed, env, pulumi);
    expect(ran.status).toBe(0);
    expect(ran.output).toBe('');
    expect(ran.stdout).toMatch(
      /^::notice title=No preview of staging::nothing was ever deployed to staging/m,
    );
  });

  it('fails on any other error of the CLI (a login that did not work is not "never deployed")', () => {
    const ran = runStep(readDeployed, env, { stderr: 'error: getting user info: 401 Unauthorized' });
    expect(ran.status).not.toBe(0);
    expect(ran.stderr).toContain('401 Unauthorized');
  });

  it('runs pulumi preview with that digest, and only when there is one', () => {
    expect(previewStep.with?.['config-map']).toBe(
      `{app:imageDigest: {value: ${expression('steps.deployed.outputs.digest')}, secret: false}}`,
    );
    const labelled = previewSteps.map((step) => (step === previewStep ? { ...step, id: 'preview' } : step));
    const run = (outputs: Record<string, string>) =>
      stepsThatRun(labelled, pullRequest(), { outputs: { deployed: outputs } });
    expect(run({ digest: digest('a') })).toContain('preview');
    expect(run({})).not.toContain('preview');
  });

  it('fails on the preview that ran with no digest at all (the committed placeholder it relied on is gone)', () => {
    const planted = previewSteps.map((step) =>
      step === previewStep ? { ...step, id: 'preview', if: undefined } : step,
    );
    expect(stepsThatRun(planted, pullRequest(), { outputs: { deployed: {} } })).toContain('preview');
  });
});

describe('rollback.yml returns a stage to the digest deployed before', () => {
  const history = (...updates: [number, string, string][]): StackUpdate[] =>
    updates.map(([version, result, hex]) => ({
      version,
      kind: 'update',
      result,
      config: { 'app:imageDigest': { value: digest(hex), secret: false } },
    }));

  it('takes the last successful deploy of another digest', () => {
    expect(previousDigest(history([3, 'succeeded', 'c'], [2, 'succeeded', 'b'], [1, 'succeeded', 'a']))).toBe(
      digest('b'),
    );
    expect(previousDigest(history([1, 'succeeded', 'a'], [3, 'succeeded', 'c'], [2, 'failed', 'b']))).toBe(
      digest('a'),
    );
    expect(previousDigest(history([3, 'succeeded', 'c'], [2, 'succeeded', 'c'], [1, 'succeeded', 'a']))).toBe(
      digest('a'),
    );
  });

  it('reads the digest from the deploy message when the config does not carry it', () => {
    const updates: StackUpdate[] = [
      { version: 2, kind: 'update', result: 'succeeded', message: `Deploy ${digest('b')} (release run 9)` },
      { version: 1, kind: 'update', result: 'succeeded', message: `Deploy ${digest('a')} (release run 8)` },
    ];
    expect(previousDigest(updates)).toBe(digest('a'));
  });

  it('has nothing to return to after a single deploy', () => {
    expect(previousDigest(history([1, 'succeeded', 'a']))).toBeUndefined();
    expect(previousDigest([])).toBeUndefined();
  });

  it('deploys the digest given by hand without reading the history', () => {
    const ran = runStep(
      resolveStep,
      { REQUESTED: digest('e'), STACK: 'org/platform/prod' },
      { stderr: 'unused' },
    );
    expect(ran.status).toBe(0);
    expect(ran.output.trim()).toBe(`digest=${digest('e')}`);
    expect(resolveStep.run).toMatch(
      /pulumi stack history --json [^|]*\|\s*node --experimental-strip-types \S+previous-digest\.ts/,
    );
  });

  it('deploys what it resolved, through deploy.yml', () => {
    expect(rollback.jobs.deploy?.with?.digest).toBe(expression('needs.resolve.outputs.digest'));
    expect(rollback.jobs.resolve?.outputs?.digest).toBe(expression('steps.digest.outputs.digest'));
  });
});
