import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import type { PulumiResource } from '../../src/sources/pulumi-resources.js';
import { urnOf } from '../support/crossguard.js';
import { PolicyPackServer } from '../support/policy-pack-server.js';

function deployment(stack: string, image: string): PulumiResource {
  const type = 'kubernetes:apps/v1:Deployment';
  return {
    type,
    name: 'web',
    urn: urnOf(stack, type, 'web'),
    props: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
      },
    },
  };
}

describe('the bundled CrossGuard pack, over the analyzer protocol', () => {
  let pack: PolicyPackServer;
  beforeAll(async () => {
    pack = await PolicyPackServer.start();
  }, 60_000);
  afterAll(async () => {
    await pack?.stop();
  });

  it('announces every rule as a mandatory policy of the platform-guardrails pack', async () => {
    const info = await pack.info();
    expect(info.getName()).toBe('platform-guardrails');
    expect(info.getPoliciesList().map((policy) => policy.getName())).toEqual(rules.map((rule) => rule.name));
  });

  it('judges a resource by the stage in its URN', async () => {
    const tagged = 'registry.example/web:1.4.2';
    const local = await pack.analyze(deployment('local', tagged));
    const dev = await pack.analyze(deployment('dev', tagged));
    expect(local.filter((d) => d.policy === 'image-pinned')).toEqual([]);
    // Per-resource diagnostics carry no URN: the engine already knows which resource it asked about.
    expect(
      dev.filter((d) => d.policy === 'image-pinned').map(({ message, mandatory }) => [message, mandatory]),
    ).toEqual([[expect.stringContaining(`"${tagged}" must be pinned by sha256 digest`), true]]);
  });

  it('judges the whole stack and names the offending resource', async () => {
    const web = deployment('prod', `registry.example/web@sha256:${'b'.repeat(64)}`);
    const diagnostics = await pack.analyzeStack([web]);
    expect(
      diagnostics.filter((d) => d.policy === 'prod-availability').map((d) => [d.urn, d.mandatory]),
    ).toEqual([
      [web.urn, true],
      [web.urn, true],
    ]);
  });
});
