import { type Stage, stages } from '@platform/charts/contract';
import { registeredResources } from '@platform/infra/testing';
import { describe, expect, it } from 'vitest';
import { toCrossGuardPolicies } from '../../src/pack/crossguard-policies.js';
import { rules } from '../../src/rules/index.js';
import type { PulumiResource } from '../../src/sources/pulumi-resources.js';
import { expandConfigGroups } from '../support/config-groups.js';
import { analyze } from '../support/crossguard.js';

const policies = toCrossGuardPolicies(rules);

/** What the platform program registers for a stage under Pulumi mocks, as CrossGuard would see it. */
async function stackOf(stage: Stage): Promise<PulumiResource[]> {
  const registered = await registeredResources(stage);
  return expandConfigGroups(
    registered.map(({ type, name, urn, inputs }) => ({ type, name, urn, props: inputs })),
  );
}

function withInputs(
  resources: PulumiResource[],
  type: string,
  change: (props: Record<string, unknown>) => object,
) {
  return resources.map((resource) =>
    resource.type === type
      ? { ...resource, props: { ...resource.props, ...change(resource.props) } }
      : resource,
  );
}

// Pulumi mocks are process-wide: the stages run one after another, in this file only.
describe.sequential('the mocked platform stacks (gate 3)', () => {
  it.each(stages)('%s passes every CrossGuard policy', async (stage) => {
    expect(await analyze(policies, await stackOf(stage))).toEqual([]);
  });

  it('is really inspected: the service, its database and every Helm release reach the policies', async () => {
    const types = new Set((await stackOf('prod')).map((resource) => resource.type));
    for (const type of [
      'kubernetes:apps/v1:Deployment',
      'kubernetes:batch/v1:Job',
      'kubernetes:postgresql.cnpg.io/v1:Cluster',
      'kubernetes:postgresql.cnpg.io/v1:Pooler',
      'kubernetes:helm.sh/v3:Release',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('is really inspected: prod with a two-instance database and a floating chart version fails', async () => {
    let stack = await stackOf('prod');
    stack = withInputs(stack, 'kubernetes:postgresql.cnpg.io/v1:Cluster', (props) => ({
      spec: { ...(props.spec as object), instances: 2 },
    }));
    stack = withInputs(stack, 'kubernetes:helm.sh/v3:Release', () => ({ version: '>=1.0.0' }));
    const failed = new Set((await analyze(policies, stack)).map((report) => report.policy));
    expect([...failed].sort()).toEqual(['cnpg-prod-cluster', 'helm-release-pinned']);
  });
});
