import { fileURLToPath } from 'node:url';
import { type Stage, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.js';
import { describe as describeObject } from '../../src/model/kube-object.js';
import { rules } from '../../src/rules/index.js';
import { readManifestDirectory } from '../../src/sources/manifest-files.js';

const dist = fileURLToPath(new URL('../../../charts/dist/', import.meta.url));

async function chartOf(stage: Stage) {
  return (await readManifestDirectory(`${dist}${stage}`)).objects;
}

describe('the synthesized charts (charts/dist)', () => {
  it.each(stages)('%s passes every rule', async (stage) => {
    const findings = evaluate(rules, await chartOf(stage), { stage });
    expect(findings.map((f) => `${f.rule.name}: ${describeObject(f.object)}: ${f.message}`)).toEqual([]);
  });

  it('is really inspected: the prod chart without its PodDisruptionBudget fails', async () => {
    const objects = (await chartOf('prod')).filter((object) => object.kind !== 'PodDisruptionBudget');
    const findings = evaluate(rules, objects, { stage: 'prod' });
    expect(findings.map((f) => f.rule.name)).toContain('prod-availability');
  });

  it('is really inspected: the staging chart with a permissive peer authentication fails', async () => {
    const objects = (await chartOf('staging')).map((object) =>
      object.kind === 'PeerAuthentication' ? { ...object, spec: { mtls: { mode: 'PERMISSIVE' } } } : object,
    );
    const findings = evaluate(rules, objects, { stage: 'staging' });
    expect(findings.map((f) => f.rule.name)).toContain('mesh-mtls-strict');
  });
});
