import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stages } from '@platform/charts/contract';
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

  it('instantiates the same modules from the same sources in every environment', async () => {
    const modulesOf = async (stage: string) => {
      const config = await read(`envs/${stage}`);
      return Object.fromEntries(
        Object.entries(config.module ?? {}).map(([name, blocks]) => [
          name,
          only(blocks, `module ${name}`).source,
        ]),
      );
    };
    const [first, ...others] = await Promise.all(stages.map(modulesOf));
    expect(Object.keys(first ?? {})).toEqual(['vault_app_access', 'vault_secret_sync']);
    for (const other of others) expect(other).toEqual(first);
  });

  it.each(rootDirectories())(
    '%s passes exactly the inputs its modules declare, and all required ones',
    async (root) => {
      const config = await read(root);
      for (const [name, blocks] of Object.entries(config.module ?? {})) {
        const { source, ...inputs } = only(blocks, `module ${name}`);
        const moduleDirectory = resolve(terraformDirectory, root, source);
        expect(existsSync(moduleDirectory), `${name} source ${source}`).toBe(true);
        const variables = Object.entries((await readConfig(moduleDirectory)).variable ?? {});
        const required = variables
          .filter(([, [variable]]) => variable && !('default' in variable))
          .map(([v]) => v);
        expect(Object.keys(inputs).filter((input) => !variables.some(([v]) => v === input))).toEqual([]);
        expect(required.filter((variable) => !(variable in inputs))).toEqual([]);
      }
    },
  );

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
