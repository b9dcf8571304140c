import { describe, expect, it } from 'vitest';
import { toCrossGuardPolicies } from '../../src/pack/crossguard-policies.js';
import { rules } from '../../src/rules/index.js';
import { type PulumiResource, stageOfUrn, toKubeObject } from '../../src/sources/pulumi-resources.js';
import { analyze, urnOf } from '../support/crossguard.js';

function resource(stack: string, type: string, name: string, props: Record<string, unknown>): PulumiResource {
  return { type, name, urn: urnOf(stack, type, name), props };
}

function deployment(stack: string, image: string, replicas: number): PulumiResource {
  return resource(stack, 'kubernetes:apps/v1:Deployment', 'web', {
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  });
}

describe('Pulumi resources as Kubernetes objects', () => {
  it('derives apiVersion and kind from the type token when the inputs omit them', () => {
    const object = toKubeObject(
      resource('dev', 'kubernetes:core/v1:ConfigMap', 'config', { data: { A: '1' } }),
    );
    expect(object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' } });
  });

  it('keeps custom resources in their own API group', () => {
    const type = 'kubernetes:postgresql.cnpg.io/v1:Cluster';
    const object = toKubeObject(resource('prod', type, 'db', { metadata: { name: 'platform-db' } }));
    expect(object).toMatchObject({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'platform-db' },
    });
  });

  it('presents a Helm release with its inputs as the spec', () => {
    const type = 'kubernetes:helm.sh/v3:Release';
    const object = toKubeObject(
      resource('dev', type, 'cnpg', { chart: 'cloudnative-pg', version: '0.26.1', namespace: 'cnpg-system' }),
    );
    expect(object).toMatchObject({
      kind: 'Release',
      metadata: { name: 'cnpg', namespace: 'cnpg-system' },
      spec: { version: '0.26.1' },
    });
  });

  it('ignores providers, components and YAML groups', () => {
    for (const type of [
      'pulumi:providers:kubernetes',
      'platform:index:Postgres',
      'kubernetes:yaml/v2:ConfigGroup',
    ]) {
      expect(toKubeObject(resource('dev', type, 'x', {}))).toBeUndefined();
    }
  });

  it('reads the stage from the stack in the URN and judges unknown stacks as prod', () => {
    expect(stageOfUrn(urnOf('staging', 'kubernetes:core/v1:Namespace', 'ns'))).toBe('staging');
    expect(stageOfUrn(urnOf('local', 'kubernetes:core/v1:Namespace', 'ns'))).toBe('local');
    expect(stageOfUrn(urnOf('sandbox-42', 'kubernetes:core/v1:Namespace', 'ns'))).toBe('prod');
  });
});

describe('the CrossGuard pack (gate 3)', () => {
  const policies = toCrossGuardPolicies(rules);

  it('carries every rule with its severity and remediation, mandatory unless low', () => {
    expect(policies.map((policy) => policy.name)).toEqual(rules.map((rule) => rule.name));
    for (const [index, rule] of rules.entries()) {
      expect(policies[index]).toMatchObject({
        description: rule.description,
        severity: rule.severity,
        remediationSteps: rule.remediation,
        enforcementLevel: rule.severity === 'low' ? 'advisory' : 'mandatory',
      });
    }
  });

  it('validates each resource with its own stack: a tag passes in local and fails in dev', async () => {
    const tagged = 'registry.example/web:1.4.2';
    const local = await analyze(policies, [deployment('local', tagged, 1)]);
    const dev = await analyze(policies, [deployment('dev', tagged, 1)]);
    expect(local.filter((r) => r.policy === 'image-pinned')).toEqual([]);
    expect(dev.filter((r) => r.policy === 'image-pinned')).toEqual([
      { policy: 'image-pinned', message: `container "web": "${tagged}" must be pinned by sha256 digest` },
    ]);
  });

  it('validates the whole stack and points set-rule violations at the offending resource', async () => {
    const web = deployment('prod', `registry.example/web@sha256:${'a'.repeat(64)}`, 1);
    const reported = await analyze(policies, [web]);
    expect(reported.filter((r) => r.policy === 'prod-availability')).toEqual([
      {
        policy: 'prod-availability',
        message: 'runs as few as 1 replica(s), prod needs at least 2',
        urn: web.urn,
      },
      { policy: 'prod-availability', message: 'no PodDisruptionBudget selects its pods', urn: web.urn },
    ]);
  });
});
