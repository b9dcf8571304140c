import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mesh, otel } from '@platform/charts/contract';
import { readStackFile } from '@platform/infra/stage-config';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { upSteps } from '../../../infra/local/steps.js';
import { tools } from '../../../infra/local/tools.js';
import { action, expression, repositoryRoot, type Step, workflow } from '../support/workflows.js';
import { stepsThatRun } from './job-conditions.js';
import { pullRequest } from './triggers.js';

const e2e = workflow('e2e.yml');
const job = e2e.jobs.e2e;
const steps = job?.steps ?? [];
const stepWith = (predicate: (step: Step) => boolean) => steps.find(predicate);
const runs = (command: string) => stepWith((step) => step.run?.includes(command) ?? false);
const bringUp = runs('npm run up:local');
const smoke = runs('infra/e2e/smoke.ts');
const teardown = runs('npm run down:local');

/** The CLI version the workflow installs, per tool the bring-up checks (docker and kubectl come with the runner). */
const installed: Record<string, string | undefined> = {
  kind: String(stepWith((s) => action(s) === 'helm/kind-action')?.with?.version ?? ''),
  terraform: String(
    stepWith((s) => action(s) === 'hashicorp/setup-terraform')?.with?.terraform_version ?? '',
  ),
  pulumi: String(stepWith((s) => action(s) === 'pulumi/actions')?.with?.['pulumi-version'] ?? ''),
  vault: job?.env?.VAULT_VERSION,
  skaffold: job?.env?.SKAFFOLD_VERSION,
};

describe('e2e.yml: the first deploy on a real cluster', () => {
  it('runs on every pull request, and by hand, with read-only repository access', () => {
    expect(e2e.on).toEqual({ pull_request: null, workflow_dispatch: null });
    expect(e2e.permissions).toEqual({ contents: 'read' });
  });

  it.each(Object.entries(installed))(
    'installs %s at least at the version the bring-up requires',
    (name, version) => {
      const minimum = tools.find((tool) => tool.command === name)?.minimum;
      expect(minimum, name).toBeDefined();
      const lowest = semver.minVersion(version ?? '');
      expect(lowest && semver.gte(lowest, minimum ?? ''), `${name} ${version} >= ${minimum}`).toBe(true);
    },
  );

  it('keeps Pulumi state on the runner, encrypted with the passphrase secret', () => {
    expect(job?.env?.PULUMI_CONFIG_PASSPHRASE).toBe(expression('secrets.PULUMI_CONFIG_PASSPHRASE'));
    const login = steps.findIndex((step) => step.run?.trim() === 'pulumi login --local');
    expect(login).toBeGreaterThan(-1);
    expect(login).toBeLessThan(steps.indexOf(bringUp ?? {}));
  });

  it('brings the platform up with the command a platform engineer runs, ending in skaffold run', () => {
    expect(bringUp?.run?.trim()).toBe('npm run up:local -- --no-dev');
    const titles = upSteps({ dev: false }).map((step) => step.title);
    for (const part of ['terraform/kind', 'terraform/envs/local', 'pulumi up', 'skaffold run']) {
      expect(
        titles.some((title) => title.includes(part)),
        part,
      ).toBe(true);
    }
  });

  it('smokes through the Istio gateway with a host the local stack routes, and waits for a trace', () => {
    const script = smoke?.run ?? '';
    expect(script).toContain(`-n ${mesh.ingressNamespace} port-forward svc/istio-ingress 8080:80`);
    const hosts = (readStackFile('local')['platform:mesh'] as { ingress: { hosts: string[] } }).ingress.hosts;
    const host = /--host (\S+)/.exec(script)?.[1];
    expect(hosts).toContain(host);
    expect(script).toContain(`/namespaces/${otel.namespace}/pods/`);
    const smokeSource = readFileSync(join(repositoryRoot, 'infra/e2e/smoke.ts'), 'utf8');
    const invocation = script.slice(script.indexOf('infra/e2e/smoke.ts'));
    const flags = [...invocation.matchAll(/--([a-z-]+)/g)].map(([, flag]) => flag);
    expect(flags).toEqual(['base-url', 'host', 'collector-metrics']);
    for (const flag of flags) {
      expect(smokeSource, `smoke.ts takes --${flag}`).toMatch(
        new RegExp(`'?${flag}'?: \\{ type: 'string' \\}`),
      );
    }
  });

  it('tears down even when the bring-up fails, and shows the cluster when something failed', () => {
    const labels = (failing: string[]) =>
      stepsThatRun(steps, pullRequest(), { failing }).map((label) =>
        label === bringUp?.name ? 'bring-up' : label,
      );
    const failed = labels([bringUp?.name ?? '']);
    expect(failed).toContain(teardown?.name);
    expect(failed).toContain('What the cluster looked like');
    expect(failed).not.toContain(smoke?.name);
    const passed = labels([]);
    expect(passed).toContain(smoke?.name);
    expect(passed).toContain(teardown?.name);
    expect(passed).not.toContain('What the cluster looked like');
  });

  it('fails on a teardown that runs only on success', () => {
    const planted = steps.map((step) => (step === teardown ? { ...step, if: undefined } : step));
    const ran = stepsThatRun(planted, pullRequest(), { failing: [bringUp?.name ?? ''] });
    expect(ran).not.toContain(teardown?.name);
  });
});
