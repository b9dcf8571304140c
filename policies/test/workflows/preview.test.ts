import { stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { action, expression, workflow } from '../support/workflows.js';

const preview = workflow('infra-preview.yml');
const job = preview.jobs.preview;

describe('infra-preview.yml', () => {
  it('runs for pull requests that touch the platform program, its charts or its policies', () => {
    expect(preview.on).toEqual({ pull_request: { paths: ['infra/**', 'charts/**', 'policies/**'] } });
  });

  it('previews every shared stage with the policy pack, and changes nothing', () => {
    expect(job?.strategy?.matrix?.stage).toEqual(stages.filter((stage) => stage !== 'local'));
    const pulumi = (job?.steps ?? []).filter(
      (step) => action(step) === 'pulumi/actions' && step.with?.command,
    );
    expect(pulumi.map((step) => step.with?.command)).toEqual(['preview']);
    expect(pulumi[0]?.with).toMatchObject({
      policyPacks: `${expression('github.workspace')}/policies`,
      'work-dir': 'infra',
    });
  });

  it('skips fork pull requests, which get no OIDC token', () => {
    expect(job?.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });
});
