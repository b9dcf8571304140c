import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  action,
  type Job,
  repositoryRoot,
  stepsOf,
  type Workflow,
  workflow,
  workflowFiles,
  workflowText,
} from '../support/workflows.js';

/**
 * The validator's bundled schema predates the `attestations` permission (2024), which provenance
 * attestations need. Validation runs without that key; the permission tests below check its value.
 */
function withoutAttestationsPermission(text: string): string {
  const flow = parse(text) as Workflow;
  for (const job of Object.values(flow.jobs)) {
    if (typeof job.permissions === 'object') delete job.permissions.attestations;
  }
  return stringify(flow);
}

const files = workflowFiles();

/**
 * The one stored secret a workflow may read: the passphrase of the e2e run's throwaway local Pulumi stack (it
 * guards nothing beyond that run). Cloud access is OIDC only.
 */
const storedSecrets: Record<string, string[]> = { 'e2e.yml': ['PULUMI_CONFIG_PASSPHRASE'] };
const pinned = /^\s*(?:-\s+)?uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)\s*$/;

/** Write scopes each job may hold; everything else reads at most. */
const allowedWrites: Record<string, Record<string, string[]>> = {
  'release.yml': {
    build: ['packages', 'id-token', 'attestations'],
    'deploy-dev': ['id-token'],
    'deploy-staging': ['id-token'],
    'deploy-prod': ['id-token'],
  },
  'deploy.yml': { deploy: ['id-token'] },
  'rollback.yml': { resolve: ['id-token'], deploy: ['id-token'] },
  'infra-preview.yml': { preview: ['id-token', 'pull-requests'] },
};

function writes(job: Job): string[] {
  if (typeof job.permissions !== 'object')
    return job.permissions === undefined ? [] : [String(job.permissions)];
  return Object.entries(job.permissions)
    .filter(([, level]) => level === 'write')
    .map(([scope]) => scope);
}

describe('GitHub workflows', () => {
  it('has the CI, release, deploy, rollback, infra preview and e2e workflows', () => {
    expect(files).toEqual([
      'ci.yml',
      'deploy.yml',
      'e2e.yml',
      'infra-preview.yml',
      'release.yml',
      'rollback.yml',
    ]);
  });

  it.each(files)('%s is valid against the workflow schema', (file) => {
    expect(validateWorkflow(withoutAttestationsPermission(workflowText(file))).errors).toEqual([]);
  });

  it('has a validator that rejects a broken workflow', () => {
    const broken = 'on: push\njobs:\n  test:\n    runs_on: ubuntu-24.04\n    steps: [{ run: true }]\n';
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it.each(files)('%s pins every action by full commit SHA with its version beside it', (file) => {
    const uses = workflowText(file)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));
    for (const line of uses) {
      if (line.includes('uses: ./.github/workflows/')) continue;
      expect(line).toMatch(pinned);
    }
  });

  it('pins each action to the same commit everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of files) {
      for (const line of workflowText(file).split('\n')) {
        const [, name, sha, version] = pinned.exec(line) ?? [];
        if (name) pins.set(name, (pins.get(name) ?? new Set()).add(`${sha} ${version}`));
      }
    }
    for (const [name, versions] of pins) expect([...versions], name).toHaveLength(1);
  });

  it.each(files)('%s calls only reusable workflows that exist', (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      if (job.uses) expect(existsSync(join(repositoryRoot, job.uses))).toBe(true);
    }
  });

  it.each(files)('%s reads by default and writes only where a job needs to', (file) => {
    const flow = workflow(file);
    expect(flow.permissions === undefined || writes({ permissions: flow.permissions }).length === 0).toBe(
      true,
    );
    expect(flow.permissions).toBeDefined();
    for (const [name, job] of Object.entries(flow.jobs)) {
      expect(writes(job).sort(), `${file} ${name}`).toEqual([...(allowedWrites[file]?.[name] ?? [])].sort());
    }
  });

  it.each(files)('%s never runs untrusted pull request code with repository privileges', (file) => {
    expect(Object.keys(workflow(file).on)).not.toContain('pull_request_target');
    expect(Object.keys(workflow(file).on)).not.toContain('workflow_run');
  });

  it.each(files)('%s uses no stored credentials, only OIDC and the run token', (file) => {
    const secrets = [...workflowText(file).matchAll(/secrets\.(\w+)/g)].map(([, name]) => name);
    const allowed = ['GITHUB_TOKEN', ...(storedSecrets[file] ?? [])];
    expect(secrets.filter((name) => !allowed.includes(name ?? ''))).toEqual([]);
    for (const { step } of stepsOf(workflow(file))) {
      if (action(step) === 'aws-actions/configure-aws-credentials') {
        expect(step.with).toHaveProperty('role-to-assume');
        expect(step.with).not.toHaveProperty('aws-access-key-id');
      }
    }
  });

  it.each(files)('%s has step scripts that bash parses (the runner runs them with bash -e)', (file) => {
    for (const { job, step } of stepsOf(workflow(file))) {
      if (!step.run) continue;
      const parsed = spawnSync('bash', ['-n', '-c', step.run], { encoding: 'utf8' });
      expect(parsed.stderr, `${job}: ${step.name ?? step.run}`).toBe('');
    }
  });

  it('has a script parse check that reports a broken script', () => {
    expect(
      spawnSync('bash', ['-n', '-c', 'if [[ -n "$X" ]]; then echo'], { encoding: 'utf8' }).status,
    ).not.toBe(0);
  });

  it.each(files)('%s leaves no token in the checkout and no expression inside a shell script', (file) => {
    for (const { job, step } of stepsOf(workflow(file))) {
      if (action(step) === 'actions/checkout') expect(step.with?.['persist-credentials'], job).toBe(false);
      // Values reach scripts through env; `${{ }}` inside a script is how workflow injection happens.
      if (step.run) expect(step.run, `${job}: ${step.name ?? step.run}`).not.toContain('${{');
    }
  });
});
