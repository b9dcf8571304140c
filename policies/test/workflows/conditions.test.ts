import { describe, expect, it } from 'vitest';
import { expression, type Job, type Workflow, workflow, workflowFiles } from '../support/workflows.js';
import { evaluateCondition, jobResults, jobsThatRun, type Trigger } from './job-conditions.js';
import { pullRequest, pushToMain, workflowCall, workflowDispatch } from './triggers.js';

const release = workflow('release.yml');
const rollback = workflow('rollback.yml');
const releaseRun = pushToMain();
const rollbackRun = workflowDispatch({ stage: 'staging', digest: `sha256:${'b'.repeat(64)}` });
const calledBy = (file: string, caller: Workflow, job: string, trigger: Trigger) =>
  workflowCall(workflow(file), caller.jobs[job] as Job, trigger);

/** For each workflow and each event that starts it: the jobs that must run, in workflow order. */
const expectations: { file: string; event: string; trigger: Trigger; jobs: string[] }[] = [
  { file: 'ci.yml', event: 'pull_request', trigger: pullRequest(), jobs: ['verify', 'image'] },
  { file: 'ci.yml', event: 'push', trigger: pushToMain(), jobs: ['verify', 'image'] },
  {
    file: 'ci.yml',
    event: 'workflow_call',
    trigger: calledBy('ci.yml', release, 'verify', releaseRun),
    jobs: ['verify'],
  },
  {
    file: 'release.yml',
    event: 'push',
    trigger: releaseRun,
    jobs: ['verify', 'build', 'deploy-dev', 'deploy-staging', 'deploy-prod'],
  },
  {
    file: 'deploy.yml',
    event: 'workflow_call',
    trigger: calledBy('deploy.yml', release, 'deploy-prod', releaseRun),
    jobs: ['deploy'],
  },
  {
    file: 'deploy.yml',
    event: 'workflow_call',
    trigger: calledBy('deploy.yml', rollback, 'deploy', rollbackRun),
    jobs: ['deploy'],
  },
  { file: 'rollback.yml', event: 'workflow_dispatch', trigger: rollbackRun, jobs: ['resolve', 'deploy'] },
  { file: 'infra-preview.yml', event: 'pull_request', trigger: pullRequest(), jobs: ['preview'] },
  {
    file: 'infra-preview.yml',
    event: 'pull_request',
    trigger: pullRequest({ fromFork: true }),
    jobs: [],
  },
  { file: 'e2e.yml', event: 'pull_request', trigger: pullRequest(), jobs: ['e2e'] },
  {
    file: 'e2e.yml',
    event: 'workflow_dispatch',
    trigger: workflowDispatch({}),
    jobs: ['e2e'],
  },
];

describe('job conditions, evaluated with GitHub’s expression engine for each event', () => {
  it.each(expectations.map((e) => [e.file, e.trigger.title, e] as const))(
    '%s on %s',
    (file, _title, { trigger, jobs }) => {
      expect(jobsThatRun(workflow(file), trigger)).toEqual(jobs);
    },
  );

  it.each(workflowFiles())('%s: every event that starts it has an expectation above', (file) => {
    const covered = new Set(expectations.filter((e) => e.file === file).map((e) => e.event));
    expect(Object.keys(workflow(file).on).filter((event) => !covered.has(event))).toEqual([]);
  });

  it('passes the caller’s inputs over the called workflow’s defaults', () => {
    expect(calledBy('ci.yml', release, 'verify', releaseRun).inputs).toEqual({ 'skip-image': true });
    // The resolved digest is another job's output, unknown here.
    expect(calledBy('deploy.yml', rollback, 'deploy', rollbackRun).inputs).toEqual({
      stage: 'staging',
      digest: null,
    });
  });

  it('stops the promotion at the first stage that fails', () => {
    const results = jobResults(release, releaseRun, ['deploy-dev']);
    expect(results).toMatchObject({
      'deploy-dev': 'failure',
      'deploy-staging': 'skipped',
      'deploy-prod': 'skipped',
    });
  });

  it('fails on the image job guard that never ran on pull requests (`inputs.image != false`)', () => {
    const ci = workflow('ci.yml');
    const planted: Workflow = {
      ...ci,
      jobs: { ...ci.jobs, image: { ...ci.jobs.image, if: 'inputs.image != false' } },
    };
    const pr = expectations.find((e) => e.file === 'ci.yml' && e.event === 'pull_request');
    expect(jobsThatRun(planted, pullRequest())).not.toEqual(pr?.jobs);
    expect(jobsThatRun(planted, pushToMain())).toEqual(['verify']);
  });

  it('follows GitHub’s comparison rules, not JavaScript’s', () => {
    const inputs = { inputs: null };
    expect(evaluateCondition('inputs.image != false', inputs, [])).toBe(false);
    expect(evaluateCondition("'1' == 1 && 'ABC' == 'abc'", {}, [])).toBe(true);
    expect(evaluateCondition(expression('always()'), {}, ['failure'])).toBe(true);
    expect(evaluateCondition('true', {}, ['skipped'])).toBe(false);
  });
});
