import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stages } from '@platform/charts/contract';
import { loadStageConfig } from '@platform/infra/stage-config';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import {
  moduleDirectories,
  only,
  parseFile,
  providerRequirements,
  readConfig,
  rootDirectories,
  subdirectories,
  terraformDirectory,
  terraformFiles,
} from '../support/terraform.js';

import { structureFindings } from './structure-findings.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const exactVersion = /^\d+\.\d+\.\d+$/;
const read = (directory: string) => readConfig(join(terraformDirectory, directory));

/** Terraform's `>= 5.1.0, < 6.0.0` as a semver range. */
const asRange = (constraint: string) => constraint.replaceAll(',', ' ');

describe('terraform/ structure (parsed with hcl2json)', () => {
  it.each(terraformFiles())('%s parses', async (file) => {
    await expect(parseFile(join(terraformDirectory, file))).resolves.toBeTypeOf('object');
  });

  it('has one environment per stage, and no other', () => {
    expect(subdirectories('envs')).toEqual([...stages].sort());
  });

  it('builds every environment from the one shared stage module', async () => {
    for (const stage of stages) {
      const modules = (await read(`envs/${stage}`)).module ?? {};
      // A stage that backs up its database also gets the bucket the archive goes to.
      const backs = loadStageConfig(stage).postgres.backup !== undefined;
      expect(Object.keys(modules).sort(), stage).toEqual(backs ? ['backup_bucket', 'stage'] : ['stage']);
      expect(only(modules.stage, 'module stage').source, stage).toBe('../../modules/stage-vault');
      if (backs) {
        expect(only(modules.backup_bucket, 'module backup_bucket').source, stage).toBe(
          '../../modules/backup-bucket',
        );
      }
    }
  });

  it.each([...rootDirectories(), ...moduleDirectories()])(
    '%s references only what it declares, calls modules with their inputs, and requires its providers',
    async (dir) => {
      expect(await structureFindings(join(terraformDirectory, dir))).toEqual([]);
    },
  );

  it('reports each kind of defect in a module that has them', async () => {
    const findings = await structureFindings(join(fixtures, 'broken-module'));
    expect([...findings].sort()).toEqual(
      [
        'resource.vault_policy.this[0].policy: var.undeclared_policy is not declared',
        'output.policy[0].value: vault_policy.that is not declared',
        'module.missing: source ../does-not-exist does not exist',
        'provider vault has no source or version',
        'provider random is used but not in required_providers',
      ].sort(),
    );
  });

  it.each([...rootDirectories(), ...moduleDirectories()])(
    '%s types and describes every variable',
    async (dir) => {
      const variables = Object.entries((await read(dir)).variable ?? {});
      const undocumented = variables.filter(([, [variable]]) => !variable?.type || !variable.description);
      expect(undocumented.map(([name]) => name)).toEqual([]);
    },
  );

  it.each(rootDirectories())('%s pins Terraform and every provider to an exact version', async (root) => {
    const config = await read(root);
    expect(only(config.terraform, 'terraform block').required_version).toBeTruthy();
    const requirements = Object.entries(providerRequirements(config));
    expect(requirements.length).toBeGreaterThan(0);
    for (const [name, requirement] of requirements) {
      expect(requirement.source, name).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(requirement.version, name).toMatch(exactVersion);
    }
  });

  it("accepts each root's pinned provider versions in every module's range", async () => {
    const pins = new Map<string, string>();
    for (const root of rootDirectories()) {
      for (const [name, { version }] of Object.entries(providerRequirements(await read(root)))) {
        if (pins.has(name)) expect(version, `${root} pins ${name} like the others`).toBe(pins.get(name));
        pins.set(name, version ?? '');
      }
    }
    for (const dir of moduleDirectories()) {
      for (const [name, { source, version }] of Object.entries(providerRequirements(await read(dir)))) {
        expect(source, `${dir} names the source of ${name}`).toBeTruthy();
        expect(semver.satisfies(pins.get(name) ?? '', asRange(version ?? '')), `${dir} accepts ${name}`).toBe(
          true,
        );
      }
    }
  });

  it.each([...rootDirectories(), ...moduleDirectories()])(
    '%s declares the provider of every resource and data source it uses',
    async (dir) => {
      const config = await read(dir);
      const declared = Object.keys(providerRequirements(config));
      const used = [...Object.keys(config.resource ?? {}), ...Object.keys(config.data ?? {})].map(
        (type) => type.split('_')[0],
      );
      expect([...new Set(used)].filter((provider) => !declared.includes(provider ?? ''))).toEqual([]);
    },
  );

  it('keeps shared stages in a locked, encrypted remote state of their own, and local state on the laptop', async () => {
    const backendOf = async (root: string) => {
      const backends = Object.entries(only((await read(root)).terraform, 'terraform block').backend ?? {});
      const [kind, blocks] = only(backends, `backend of ${root}`);
      return { kind, settings: only(blocks, `backend ${kind}`) };
    };
    expect((await backendOf('kind')).kind).toBe('local');
    expect((await backendOf('envs/local')).kind).toBe('local');
    const keys = new Set<unknown>();
    for (const stage of stages.filter((stage) => stage !== 'local')) {
      const { kind, settings } = await backendOf(`envs/${stage}`);
      expect(kind, stage).toBe('s3');
      expect(settings, stage).toMatchObject({ encrypt: true, use_lockfile: true });
      keys.add(settings.key);
    }
    expect(keys.size).toBe(stages.length - 1);
  });

  it('configures each provider in roots only, never inside a reusable module', async () => {
    for (const dir of moduleDirectories()) expect((await read(dir)).provider, dir).toBeUndefined();
    for (const root of rootDirectories()) expect((await read(root)).provider, root).toBeDefined();
  });
});
