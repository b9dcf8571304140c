import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  action,
  repositoryRoot,
  stepsOf,
  type Workflow,
  workflowFiles,
  workflowText,
} from '../support/workflows.js';

/** Where the project names its Node release: tests, CI, the image and the workflows must run the same one. */
interface NodeReleaseSources {
  readonly nvmrc: string;
  readonly engines: string;
  readonly dockerfile: string;
  readonly ciRun: string;
  readonly workflows: Readonly<Record<string, string>>;
}

const read = (path: string) => readFileSync(join(repositoryRoot, path), 'utf8');

const repositorySources = (): NodeReleaseSources => ({
  nvmrc: read('.nvmrc'),
  engines: (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node,
  dockerfile: read('app/Dockerfile'),
  ciRun: read('.ci/run'),
  workflows: Object.fromEntries(workflowFiles().map((file) => [file, workflowText(file)])),
});

/** Every place that disagrees with .nvmrc, one line each; empty when they agree. */
function nodeReleaseMismatches(sources: NodeReleaseSources): string[] {
  const release = sources.nvmrc.trim();
  const problems: string[] = [];
  if (!semver.valid(release)) problems.push(`.nvmrc names ${release}, not an exact release`);
  else if (semver.major(release) % 2 !== 0) problems.push(`.nvmrc names ${release}, not an LTS line`);
  if (!semver.satisfies(release, sources.engines))
    problems.push(`package.json engines ${sources.engines} excludes ${release}`);
  const image = /^ARG NODE_IMAGE=node:(\S+?)-/m.exec(sources.dockerfile)?.[1];
  if (image !== release) problems.push(`app/Dockerfile builds on node:${image}, not ${release}`);
  if (!/^node_version=\$\(cat \.nvmrc\)$/m.test(sources.ciRun))
    problems.push('.ci/run does not take its Node release from .nvmrc');
  for (const [file, text] of Object.entries(sources.workflows)) {
    for (const { job, step } of stepsOf(parse(text) as Workflow)) {
      if (action(step) !== 'actions/setup-node') continue;
      if (step.with?.['node-version-file'] !== '.nvmrc' || step.with?.['node-version'] !== undefined)
        problems.push(`${file} job ${job}: setup-node does not read .nvmrc`);
    }
  }
  return problems;
}

describe('the Node release', () => {
  it('is the one .nvmrc names, in package.json engines, the image, .ci/run and every workflow', () => {
    expect(nodeReleaseMismatches(repositorySources())).toEqual([]);
  });

  it('reports each place that drifts (a planted copy)', () => {
    const sources = repositorySources();
    const drifted: NodeReleaseSources = {
      ...sources,
      dockerfile: sources.dockerfile.replace(/^ARG NODE_IMAGE=node:\S+?-/m, 'ARG NODE_IMAGE=node:22.23.3-'),
      workflows: {
        ...sources.workflows,
        'ci.yml': (sources.workflows['ci.yml'] ?? '').replace(
          'node-version-file: .nvmrc',
          'node-version: 22',
        ),
      },
    };
    expect(nodeReleaseMismatches(drifted)).toEqual([
      `app/Dockerfile builds on node:22.23.3, not ${sources.nvmrc.trim()}`,
      'ci.yml job verify: setup-node does not read .nvmrc',
    ]);
    expect(nodeReleaseMismatches({ ...sources, nvmrc: '25.1.0\n' })).toEqual([
      '.nvmrc names 25.1.0, not an LTS line',
      `package.json engines ${sources.engines} excludes 25.1.0`,
      `app/Dockerfile builds on node:${sources.nvmrc.trim()}, not 25.1.0`,
    ]);
  });
});
