import { stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { action, expression, type Step, workflow } from '../support/workflows.js';

const ci = workflow('ci.yml');
const verify = ci.jobs.verify?.steps ?? [];
const image = ci.jobs.image?.steps ?? [];

function indexOfRun(steps: Step[], command: string): number {
  return steps.findIndex((step) => step.run?.trim().startsWith(command));
}

describe('ci.yml', () => {
  it('runs on pull requests and on pushes to main, and for the release workflow', () => {
    expect(ci.on).toMatchObject({ pull_request: null, push: { branches: ['main'] } });
    expect(ci.on).toHaveProperty('workflow_call');
  });

  it('tests against PostgreSQL 15 and Redis 7 service containers on their usual ports', () => {
    expect(ci.jobs.verify?.services).toMatchObject({
      postgres: { image: 'postgres:15', ports: ['5432:5432'] },
      redis: { image: 'redis:7', ports: ['6379:6379'] },
    });
  });

  it('fails on a known HIGH or CRITICAL vulnerability in a runtime dependency, before anything else runs', () => {
    const audit = indexOfRun(verify, 'npm audit');
    expect(verify[audit]?.run?.trim()).toBe('npm audit --omit=dev --audit-level=high');
    expect(audit).toBeGreaterThan(indexOfRun(verify, 'npm ci'));
    expect(audit).toBeLessThan(indexOfRun(verify, 'npm test'));
    expect(verify[audit]).not.toHaveProperty('continue-on-error');
  });

  it('gates the image on HIGH and CRITICAL findings of the scan, here and in the release', () => {
    for (const steps of [image, workflow('release.yml').jobs.build?.steps ?? []]) {
      const scan = steps.find((step) => action(step) === 'anchore/scan-action');
      expect(scan?.with).toMatchObject({ 'fail-build': true, 'severity-cutoff': 'high' });
    }
  });

  it('installs from the lockfile with its cache, then lints, typechecks, tests, synthesizes and checks policy, in order', () => {
    const setup = verify.find((step) => action(step) === 'actions/setup-node');
    expect(setup?.with).toMatchObject({ cache: 'npm' });
    const order = [
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run synth',
      'npm run policy',
    ].map((command) => indexOfRun(verify, command));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('uploads the coverage report after the tests, whether or not a threshold failed', () => {
    const upload = verify.findIndex((step) => action(step) === 'actions/upload-artifact');
    expect(upload).toBeGreaterThan(indexOfRun(verify, 'npm test'));
    expect(verify[upload]?.if).toBe(expression('!cancelled()'));
    expect(verify[upload]?.with).toMatchObject({ name: 'coverage', path: 'coverage/' });
  });

  it('fails when the committed manifests differ from what the charts synthesize', () => {
    const diff = indexOfRun(verify, 'git diff --exit-code -- charts/dist');
    expect(diff).toBeGreaterThan(indexOfRun(verify, 'npm run synth'));
    expect(diff).toBeLessThan(indexOfRun(verify, 'npm run policy'));
  });

  it('checks policy for every environment', () => {
    const policy = verify[indexOfRun(verify, 'npm run policy')]?.run ?? '';
    for (const stage of stages) expect(policy).toContain(`--env ${stage}`);
  });

  it('builds the image from app/Dockerfile with the repository root as context, without pushing', () => {
    const build = image.find((step) => action(step) === 'docker/build-push-action');
    expect(build?.with).toMatchObject({ context: '.', file: 'app/Dockerfile', push: false, load: true });
  });

  it('describes the built image in a CycloneDX SBOM and fails on fixable high vulnerabilities', () => {
    const tag = image.find((step) => action(step) === 'docker/build-push-action')?.with?.tags;
    const sbom = image.find((step) => action(step) === 'anchore/sbom-action');
    const scan = image.find((step) => action(step) === 'anchore/scan-action');
    expect(sbom?.with).toMatchObject({ image: tag, format: 'cyclonedx-json' });
    expect(scan?.with).toMatchObject({
      sbom: sbom?.with?.['output-file'],
      'fail-build': true,
      'severity-cutoff': 'high',
    });
  });
});
