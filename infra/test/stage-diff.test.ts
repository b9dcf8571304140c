import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderDiff } from '../src/stage-diff/render-diff.js';
import { diffStages } from '../src/stage-diff/stage-diff.js';
import { diffTrees } from '../src/stage-diff/tree-diff.js';
import { registeredResources } from '../src/testing/index.js';

const run = promisify(execFile);
const infraDir = new URL('..', import.meta.url).pathname;

describe('tree differences', () => {
  it('compares Kubernetes objects in a list by kind and name, not by position', () => {
    const left = {
      objs: [
        { kind: 'Service', metadata: { name: 'a' } },
        { kind: 'Deployment', metadata: { name: 'a' }, replicas: 1 },
      ],
    };
    const right = {
      objs: [
        { kind: 'Deployment', metadata: { name: 'a' }, replicas: 3 },
        { kind: 'Service', metadata: { name: 'a' } },
      ],
    };
    expect(diffTrees(left, right)).toEqual([{ path: 'objs[Deployment/a].replicas', left: 1, right: 3 }]);
  });

  it('reports a subtree present on one side only as a single difference', () => {
    expect(diffTrees({ spec: { backup: { retention: '30d', schedule: 'x' } } }, { spec: {} })).toEqual([
      { path: 'spec.backup', left: { retention: '30d', schedule: 'x' }, right: undefined },
    ]);
  });

  it('finds nothing between equal values', () => {
    expect(diffTrees({ a: [1, { name: 'n', v: true }] }, { a: [1, { name: 'n', v: true }] })).toEqual([]);
  });
});

describe('stage diff', () => {
  it('reports that prod runs more Postgres instances than staging, in config and in the Cluster', async () => {
    const diff = await diffStages('staging', 'prod', registeredResources);
    expect(diff.config).toContainEqual({ path: 'platform:postgres.instances', left: 2, right: 3 });
    const cluster = diff.resources.find((r) => r.resource === 'Cluster platform-db');
    expect(cluster?.differences).toContainEqual({ path: 'spec.instances', left: 2, right: 3 });
    expect(diff.resources.map((r) => r.resource)).not.toContain('Namespace postgres');
  }, 30_000);

  it('reports resources that only one stage registers', async () => {
    const diff = await diffStages('local', 'dev', registeredResources);
    const onlyLocal = diff.resources.filter((r) =>
      r.differences.some((d) => d.path === '' && d.right === undefined),
    );
    expect(onlyLocal.map((r) => r.resource)).toEqual(['Namespace vault', 'Release vault']);
    const onlyDev = diff.resources.filter((r) =>
      r.differences.some((d) => d.path === '' && d.left === undefined),
    );
    expect(onlyDev.map((r) => r.resource)).toEqual([
      'PodMonitor platform-db-monitor',
      'PodMonitor platform-db-pooler-monitor',
    ]);
    const text = renderDiff(diff);
    expect(text).toMatch(/Release vault\s+│ \(resource\)\s+│ registered\s+│ —/);
    expect(text.split('\n').at(-1)).toMatch(
      /^local vs dev: \d+ stack config differences, 4 resources registered in one stage only/,
    );
  }, 30_000);

  it('prints a table from `npm run stage:diff -- staging prod`', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'stage:diff', '--', 'staging', 'prod'], {
      cwd: infraDir,
    });
    expect(stdout).toMatch(/│ platform:postgres\.instances\s+│ 2\s+│ 3\s+│/);
    expect(stdout).toMatch(/│ Cluster platform-db\s+│ spec\.instances\s+│ 2\s+│ 3\s+│/);
    expect(stdout).toContain('staging vs prod: ');
  }, 60_000);

  it('explains its usage when a stage name is wrong', async () => {
    const failure = await run('npm', ['run', '--silent', 'stage:diff', '--', 'staging', 'production'], {
      cwd: infraDir,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('usage: npm run stage:diff -- <stage> <stage>');
  }, 60_000);
});
