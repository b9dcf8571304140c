import { readFileSync } from 'node:fs';
import type { Stage } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { runStage } from './run-stage.js';

const programRun = 120_000;
const stages: Stage[] = ['local', 'dev', 'staging', 'prod'];
// The deploy passes the promoted image's digest (`pulumi up --config app:imageDigest=...`); local builds a tag.
const digest = `sha256:${'c'.repeat(64)}`;
const deployConfig = (stage: Stage): Record<string, string> =>
  stage === 'local' ? {} : { 'app:imageDigest': digest };

// cmd/run registers the entry module's exports as the stack outputs: the names come from the entry itself.
const entryExports = [
  ...readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8').matchAll(/^export const (\w+)/gm),
].map((m) => m[1]);

describe.each(stages)('pulumi up -s %s, as the Node.js language host starts the program', (stage) => {
  it(
    "exits 0 without error diagnostics and exports the entry module's outputs",
    async () => {
      const run = await runStage(stage, { config: deployConfig(stage) });
      expect(run.errors, run.stderr).toEqual([]);
      expect(run.exitCode).toBe(0);
      const outputs = Object.keys(run.outputs ?? {}).sort();
      // An export that resolves to undefined is no output (local deploys a tag, so it has no digest).
      if (stage === 'local') expect(entryExports).toEqual(expect.arrayContaining(outputs));
      else expect(outputs).toEqual([...entryExports].sort());
      if (stage !== 'local') expect(run.outputs?.image).toMatch(new RegExp(`@${digest}$`));
    },
    programRun,
  );

  it(
    'registers the platform under the stack: Istio and operator releases, the database, the service chart',
    async () => {
      const { resources } = await runStage(stage, { config: deployConfig(stage) });
      const types = new Set(resources.map((r) => r.type));
      for (const kind of [
        'pulumi:pulumi:Stack',
        'platform:index:Platform',
        'kubernetes:helm.sh/v3:Release',
        'kubernetes:networking.istio.io/v1:Gateway',
        'kubernetes:postgresql.cnpg.io/v1:Cluster',
        'kubernetes:postgresql.cnpg.io/v1:Pooler',
        'kubernetes:yaml/v2:ConfigGroup',
      ]) {
        expect(types, kind).toContain(kind);
      }
      // Every URN is unique and every parent was registered first: the engine's own bookkeeping holds.
      const keys = new Set(resources.map((r) => `${r.type}::${r.name}`));
      expect(new Set(resources.map((r) => r.urn)).size).toBe(resources.length);
      for (const r of resources.filter((r) => r.type !== 'pulumi:pulumi:Stack')) {
        expect(keys, `${r.type} ${r.name}`).toContain(r.parent);
      }
    },
    programRun,
  );

  it(
    'sends the service chart as multi-language ConfigGroups whose inputs are the Kubernetes objects',
    async () => {
      const { resources } = await runStage(stage, { config: deployConfig(stage) });
      const groups = resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) {
        expect(group).toMatchObject({ remote: true, custom: false });
        const objs = group.inputs.objs as { apiVersion?: unknown; kind?: unknown }[];
        expect(objs.length, group.name).toBeGreaterThan(0);
        for (const obj of objs)
          expect(obj).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String) });
      }
    },
    programRun,
  );
});

describe('a program that fails as the language host runs it', () => {
  it(
    'reports the program error the engine receives, exits 32 and exports nothing',
    async () => {
      const run = await runStage('local', { config: { 'platform:postgres': '{"instances":"many"}' } });
      expect(run.exitCode).toBe(32);
      expect(run.errors.join('\n')).toMatch(/platform:postgres\.instances/);
      expect(Object.keys(run.outputs ?? {})).toEqual([]);
    },
    programRun,
  );
});
