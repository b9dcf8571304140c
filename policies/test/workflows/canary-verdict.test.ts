import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { action, repositoryRoot, type Step, workflow } from '../support/workflows.js';

const deploySteps = workflow('deploy.yml').jobs.deploy?.steps ?? [];
const waitStep = deploySteps.find((step) => step.name?.startsWith("Wait for the canary's verdict")) as Step;

const temporary: string[] = [];
afterEach(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A Rollout as the API server returns it, at the given generations and phase (argoproj.io/v1alpha1). */
function rollout(state: {
  workloadGeneration: string;
  observedWorkload?: string;
  phase: string;
  message?: string;
  pauses?: string[];
}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: 'platform-api',
      generation: 3,
      annotations: { 'rollout.argoproj.io/workload-generation': state.workloadGeneration },
    },
    status: {
      observedGeneration: '3',
      workloadObservedGeneration: state.observedWorkload ?? state.workloadGeneration,
      phase: state.phase,
      message: state.message ?? '',
      ...(state.pauses ? { pauseConditions: state.pauses.map((reason) => ({ reason })) } : {}),
    },
  };
}

/**
 * Runs the step's script as the runner does (`bash -e`, from the checkout) with a stand-in `kubectl` that
 * answers the Deployment's generation and then, call by call, the given Rollout states (the last one repeats).
 */
function runWait(stage: string, deploymentGeneration: string, states: object[], waitSeconds = 60) {
  const directory = mkdtempSync(join(tmpdir(), 'canary-wait-'));
  temporary.push(directory);
  for (const [i, state] of states.entries()) {
    writeFileSync(join(directory, `state-${i}.json`), JSON.stringify(state));
  }
  const calls = join(directory, 'calls');
  writeFileSync(calls, '');
  writeFileSync(
    join(directory, 'kubectl'),
    [
      '#!/bin/bash',
      `echo "$*" >> '${calls}'`,
      'case "$*" in',
      `  *"get deployment platform-api"*) echo -n '${deploymentGeneration}' ;;`,
      '  *"get rollout platform-api"*)',
      `    n=$(grep -c 'get rollout' '${calls}'); i=$(( n - 1 < ${states.length - 1} ? n - 1 : ${states.length - 1} ))`,
      `    cat '${directory}'/state-$i.json ;;`,
      '  *) echo "unexpected kubectl $*" >&2; exit 2 ;;',
      'esac',
    ].join('\n'),
  );
  chmodSync(join(directory, 'kubectl'), 0o755);
  // From the checkout: the step reads charts/dist/<stage>/30-workload.yaml.
  const result = spawnSync('bash', ['-e', '-c', waitStep.run ?? ''], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: {
      PATH: `${directory}:${process.env.PATH}`,
      STAGE: stage,
      WAIT_SECONDS: String(waitSeconds),
      POLL_SECONDS: '0',
    },
  });
  return { ...result, calls: readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean) };
}

describe('deploy.yml waits for the canary’s verdict', () => {
  it('waits after pulumi up, in the same job and with its kube context, and asks for nothing more', () => {
    const up = deploySteps.findIndex((step) => action(step) === 'pulumi/actions');
    expect(up).toBeGreaterThan(-1);
    expect(deploySteps.indexOf(waitStep)).toBe(up + 1);
    expect(waitStep.if).toBeUndefined();
    // The context the kubeconfig step names (`platform-<stage>`), spelled as the script spells it.
    expect(waitStep.run).toContain(`--context "platform-$\{STAGE}"`);
    expect(waitStep.uses).toBeUndefined();
  });
});

describe.each([
  ['staging', true],
  ['prod', true],
  ['dev', false],
])('the verdict step on %s', (stage, canary) => {
  const run = (generation: string, states: object[], waitSeconds?: number) =>
    runWait(stage, generation, states, waitSeconds);

  if (!canary) {
    it('passes without asking the cluster: the stage rolls out without a canary', () => {
      const result = run('7', [rollout({ workloadGeneration: '7', phase: 'Degraded' })]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('rolling update');
      expect(result.calls).toEqual([]);
    });
    return;
  }

  it('passes once the rollout, having seen this deploy’s Deployment, is Healthy', () => {
    const result = run('7', [rollout({ workloadGeneration: '7', phase: 'Healthy', message: '' })]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('promoted');
  });

  it('does not take the previous release’s Healthy for this one’s verdict', () => {
    const result = run('7', [
      rollout({ workloadGeneration: '6', phase: 'Healthy' }),
      rollout({ workloadGeneration: '7', observedWorkload: '6', phase: 'Healthy' }),
      rollout({ workloadGeneration: '7', phase: 'Progressing', message: 'more replicas need to be updated' }),
      rollout({
        workloadGeneration: '7',
        phase: 'Paused',
        pauses: ['CanaryPauseStep'],
        message: 'CanaryPauseStep',
      }),
      rollout({
        workloadGeneration: '7',
        phase: 'Degraded',
        message: 'RolloutAborted: Metric "error-ratio" assessed Failed',
      }),
    ]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('the release was aborted');
    expect(result.stdout).toContain('error-ratio');
    expect(result.calls.filter((c) => c.includes('get rollout'))).toHaveLength(5);
  });

  it('fails when the analysis aborts the release', () => {
    const result = run('7', [
      rollout({ workloadGeneration: '7', phase: 'Degraded', message: 'RolloutAborted' }),
    ]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/::error::the release was aborted/);
  });

  it('fails when the analysis could not judge and the rollout waits for a person', () => {
    const result = run('7', [
      rollout({ workloadGeneration: '7', phase: 'Paused', pauses: ['InconclusiveAnalysisRun'] }),
    ]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/::error::the analysis could not judge/);
  });

  it('fails when no verdict comes in time', () => {
    const result = run('7', [rollout({ workloadGeneration: '7', phase: 'Progressing' })], 0);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/::error::no verdict within 0s/);
  });
});
