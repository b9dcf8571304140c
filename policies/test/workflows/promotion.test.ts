import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { service, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  action,
  expression,
  type Job,
  needsOf,
  repositoryRoot,
  stepsOf,
  workflow,
} from '../support/workflows.js';

const release = workflow('release.yml');
const deploy = workflow('deploy.yml');
const rollback = workflow('rollback.yml');
const deployJob = deploy.jobs.deploy as Job;
const deploySteps = deployJob.steps ?? [];
const sharedStages = stages.filter((stage) => stage !== 'local');
const buildDigest = expression('needs.build.outputs.digest');

const infraProject = parse(readFileSync(join(repositoryRoot, 'infra/Pulumi.yaml'), 'utf8')) as {
  name: string;
};
function stackConfig(stage: string): Record<string, unknown> {
  const file = join(repositoryRoot, `infra/Pulumi.${stage}.yaml`);
  return (parse(readFileSync(file, 'utf8')) as { config: Record<string, unknown> }).config;
}

function deployJobs(): [string, Job][] {
  return Object.entries(release.jobs).filter(([, job]) => job.uses === './.github/workflows/deploy.yml');
}

describe('release.yml: one build, one digest, promoted', () => {
  it('runs on pushes to main only, after the same checks as CI', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push).toEqual({ branches: ['main'] });
    expect(release.jobs.verify).toMatchObject({
      uses: './.github/workflows/ci.yml',
      with: { 'skip-image': true },
    });
    expect(needsOf(release.jobs.build as Job)).toEqual(['verify']);
  });

  it('builds and pushes the image in exactly one job, and publishes its digest', () => {
    const pushes = stepsOf(release).filter(
      ({ step }) => action(step) === 'docker/build-push-action' && step.with?.push === true,
    );
    expect(pushes.map(({ job }) => job)).toEqual(['build']);
    const step = pushes[0]?.step;
    expect(step?.with).toMatchObject({ context: '.', file: 'app/Dockerfile' });
    expect(release.jobs.build?.outputs).toEqual({ digest: expression(`steps.${step?.id}.outputs.digest`) });
    const builds = [...stepsOf(release), ...stepsOf(deploy)].filter(
      ({ step }) => action(step) === 'docker/build-push-action',
    );
    expect(builds).toHaveLength(1);
  });

  it('signs that digest and attaches its provenance in the build job', () => {
    const steps = release.jobs.build?.steps ?? [];
    const digest = expression('steps.push.outputs.digest');
    const sign = steps.find((step) => step.run?.includes('cosign sign'));
    expect(sign?.env).toEqual({ DIGEST: digest });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell variables, expanded by the runner's shell
    expect(sign?.run).toContain('"${IMAGE_REPOSITORY}@${DIGEST}"');
    const attest = steps.find((step) => action(step) === 'actions/attest-build-provenance');
    expect(attest?.with).toMatchObject({ 'subject-digest': digest, 'push-to-registry': true });
  });

  it("deploys dev, then staging, then prod, each with the build job's digest and nothing else", () => {
    const jobs = deployJobs();
    expect(jobs.map(([, job]) => job.with?.stage)).toEqual(sharedStages);
    for (const [name, job] of jobs) {
      expect(job.with, name).toEqual({ stage: job.with?.stage, digest: buildDigest });
      expect(needsOf(job), name).toContain('build');
    }
    expect(needsOf(release.jobs['deploy-staging'] as Job)).toContain('deploy-dev');
    expect(needsOf(release.jobs['deploy-prod'] as Job)).toContain('deploy-staging');
  });

  it('never lets two releases run at once', () => {
    expect(release.concurrency).toMatchObject({ 'cancel-in-progress': false });
  });
});

describe('deploy.yml: the one way a digest reaches a stage', () => {
  it('runs each stage in its own GitHub environment, so prod waits for its required reviewers', () => {
    expect(deployJob.environment).toBe(expression('inputs.stage'));
    expect(deploy.on).toHaveProperty('workflow_call.inputs.stage.required', true);
    expect(deploy.on).toHaveProperty('workflow_call.inputs.digest.required', true);
  });

  it('holds a lock per stage that releases and rollbacks share, and never cancels a running deploy', () => {
    expect(deployJob.concurrency).toEqual({
      group: `deploy-${expression('inputs.stage')}`,
      'cancel-in-progress': false,
    });
  });

  it('rejects anything but a digest, then verifies the release signature before deploying', () => {
    const guard = deploySteps.findIndex((step) => step.run?.includes('^sha256:[a-f0-9]{64}$'));
    const verify = deploySteps.findIndex((step) => step.run?.includes('cosign verify'));
    const up = deploySteps.findIndex((step) => action(step) === 'pulumi/actions');
    expect(guard).toBe(0);
    expect(verify).toBeGreaterThan(guard);
    expect(up).toBeGreaterThan(verify);
    expect(deploySteps[verify]?.run).toContain('.github/workflows/release.yml@refs/heads/main');
  });

  it("runs pulumi up on the stage's stack with the digest and the policy pack", () => {
    const up = deploySteps.find((step) => action(step) === 'pulumi/actions');
    expect(up?.with).toMatchObject({
      command: 'up',
      'stack-name': `${expression('vars.PULUMI_ORG')}/${infraProject.name}/${expression('inputs.stage')}`,
      'work-dir': 'infra',
      'config-map': `{app:imageDigest: {value: ${expression('inputs.digest')}, secret: false}}`,
      policyPacks: `${expression('github.workspace')}/policies`,
    });
    const bundle = deploySteps.findIndex((step) => step.run === 'npm run build -w policies');
    expect(bundle).toBeGreaterThan(-1);
    expect(bundle).toBeLessThan(deploySteps.indexOf(up ?? {}));
  });

  it.each(sharedStages)('pushes and deploys the image repository the %s stack expects', (stage) => {
    const repository = stackConfig(stage)['app:imageRepository'];
    expect(repository).toMatch(new RegExp(`/${service.image}$`));
    expect(release.env?.IMAGE_REPOSITORY).toBe(repository);
    expect(deploy.env?.IMAGE_REPOSITORY).toBe(repository);
  });

  it.each(sharedStages)('selects the Kubernetes context the %s stack is configured for', (stage) => {
    const context = stackConfig(stage)['kubernetes:context'];
    const kubeconfig = deploySteps.find((step) => step.run?.includes('update-kubeconfig'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, expanded by the runner's shell
    expect(kubeconfig?.run?.replaceAll('${STAGE}', stage)).toContain(`--alias "${context}"`);
  });
});

describe('reusable workflow callers', () => {
  it('grant every permission deploy.yml needs, since a called workflow cannot exceed its caller', () => {
    const callers = [...deployJobs(), ['rollback', rollback.jobs.deploy as Job] as [string, Job]];
    for (const [name, job] of callers) expect(job.permissions, name).toEqual(deployJob.permissions);
  });
});

describe('rollback.yml: redeploy a digest released before', () => {
  it('is started by hand for one shared stage and goes through deploy.yml like a release', () => {
    expect(Object.keys(rollback.on)).toEqual(['workflow_dispatch']);
    expect(rollback.on).toHaveProperty('workflow_dispatch.inputs.stage.options', sharedStages);
    expect(rollback.jobs.deploy).toMatchObject({
      uses: './.github/workflows/deploy.yml',
      with: { stage: expression('inputs.stage'), digest: expression('needs.resolve.outputs.digest') },
    });
  });

  it('builds nothing', () => {
    const builds = stepsOf(rollback).filter(({ step }) =>
      ['docker/build-push-action', 'docker/setup-buildx-action'].includes(action(step) ?? ''),
    );
    expect(builds).toEqual([]);
  });
});
