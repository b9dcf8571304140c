import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { afterAll, describe, expect, it } from 'vitest';
import { runPulumiProgram } from './launch-program.js';
import { splitNodeArgs } from './node-args.js';
import { decodeProperties, unknownValue } from './property-values.js';
import { readPulumiProject } from './pulumi-project.js';
import { languageHostConfigJson, readStackConfig } from './stack-config.js';

const tinyProgram = fileURLToPath(new URL('./fixtures/tiny-program/', import.meta.url));
const programRun = 60_000;
const thing = (name: string) =>
  `urn:pulumi:test::tiny::tiny:index:Group$tiny:index:Group$tiny:index:Thing::${name}`;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function projectDir(pulumiYaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulumi-project-'));
  temps.push(dir);
  writeFileSync(join(dir, 'Pulumi.yaml'), pulumiYaml);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the fake engine, driven by a program the language host starts', () => {
  it(
    'records URNs under the full parent type chain, secrets, dependencies, remote components and stack outputs',
    async () => {
      const run = await runPulumiProgram(tinyProgram, 'test');
      expect(run.errors, run.stderr).toEqual([]);
      expect(run.exitCode).toBe(0);
      const byName = new Map(run.resources.map((r) => [r.name, r]));

      expect(byName.get('first')).toMatchObject({
        urn: thing('first'),
        parent: 'tiny:index:Group::inner',
        custom: true,
        inputs: { password: 's3cret', size: { replicas: 3, zone: 'b' } },
        secretPaths: ['password'],
      });
      // dependsOn a component waits for its resources; an input from `first` adds it too.
      expect(byName.get('second')).toMatchObject({
        urn: 'urn:pulumi:test::tiny::tiny:index:Thing::second',
        parent: 'pulumi:pulumi:Stack::tiny-test',
        dependsOn: ['tiny:index:Thing::first'],
        inputs: { after: 'first-id' },
      });
      expect(byName.get('remote')).toMatchObject({
        remote: true,
        custom: false,
        inputs: { objs: [{ apiVersion: 'v1', kind: 'ConfigMap' }] },
      });
      expect(run.outputs).toEqual({ greeting: 'hello', count: 2, flag: true });
    },
    programRun,
  );

  it(
    'refuses a second resource with the same URN, as the engine does',
    async () => {
      const run = await runPulumiProgram(tinyProgram, 'test', { config: { duplicate: 'true' } });
      expect(run.exitCode).not.toBe(0);
      expect(run.errors).toContain(`Duplicate resource URN '${thing('first')}'; try giving it a unique name`);
    },
    programRun,
  );
});

describe('Pulumi.yaml as the CLI reads it', () => {
  it('runs the root directory as "." without main, a main directory as ".", a main file by its name', () => {
    const runtime = 'name: p\nruntime: nodejs\n';
    const root = projectDir(runtime);
    expect(readPulumiProject(root)).toMatchObject({ programDirectory: root, entryPoint: '.' });
    const dir = projectDir(`${runtime}main: app/\n`, { 'app/index.js': '' });
    expect(readPulumiProject(dir)).toMatchObject({ programDirectory: join(dir, 'app'), entryPoint: '.' });
    const file = projectDir(`${runtime}main: app/main.js\n`, { 'app/main.js': '' });
    expect(readPulumiProject(file)).toMatchObject({
      programDirectory: join(file, 'app'),
      entryPoint: 'main.js',
    });
  });

  it('refuses a main that does not exist, and defaults typescript to true', () => {
    expect(() => readPulumiProject(projectDir('name: p\nruntime: nodejs\nmain: gone.ts\n'))).toThrow(
      "project 'main' could not be read",
    );
    expect(readPulumiProject(projectDir('name: p\nruntime: nodejs\n')).options).toEqual({
      typescript: true,
      nodeargs: '',
    });
  });
});

describe('stack config as the engine hands it to the language host', () => {
  it('keeps strings, writes numbers, booleans and objects as JSON, and applies --config overrides', () => {
    const { config } = readStackConfig(tinyProgram, 'tiny', 'test', { duplicate: 'true', 'tiny:count': '5' });
    expect(config).toEqual({
      'tiny:greeting': 'hello',
      'tiny:size': '{"replicas":3,"zone":"b"}',
      'tiny:count': '5',
      'other:flag': 'true',
      'tiny:duplicate': 'true',
    });
    expect(JSON.parse(languageHostConfigJson(config))).toMatchObject({ 'tiny:config:greeting': 'hello' });
  });

  it('refuses a key without a namespace in the stack file', () => {
    const dir = projectDir('name: p\nruntime: nodejs\n', { 'Pulumi.s.yaml': 'config:\n  greeting: hi\n' });
    expect(() => readStackConfig(dir, 'p', 's')).toThrow('could not parse greeting as a configuration key');
  });
});

describe('nodeargs as the language host splits them', () => {
  it('splits on whitespace and keeps quoted words together', () => {
    expect(splitNodeArgs('--import tsx  --max-old-space-size=4096')).toEqual([
      '--import',
      'tsx',
      '--max-old-space-size=4096',
    ]);
    expect(splitNodeArgs(`--title="a b" 'c d' e\\ f`)).toEqual(['--title=a b', 'c d', 'e f']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitNodeArgs('--import "tsx')).toThrow('closing quote');
  });
});

describe('property values as the SDK sends them', () => {
  it('unwraps secrets and output values, keeps unknowns as the sentinel and references as URNs', () => {
    const sig = pulumi.runtime.specialSigKey;
    const decoded = decodeProperties({
      values: { auth: { [sig]: pulumi.runtime.specialSecretSig, value: { password: 'p' } } },
      later: { [sig]: pulumi.runtime.specialOutputValueSig, secret: true },
      list: ['a', pulumi.runtime.unknownValue],
      owner: { [sig]: pulumi.runtime.specialResourceSig, urn: 'urn:pulumi:s::p::t::n', id: 'n-id' },
    });
    expect(decoded.value).toEqual({
      values: { auth: { password: 'p' } },
      later: unknownValue,
      list: ['a', unknownValue],
      owner: { urn: 'urn:pulumi:s::p::t::n', id: 'n-id' },
    });
    expect(decoded.secretPaths).toEqual(['values.auth', 'later']);
    expect(decoded.unknownPaths).toEqual(['later', 'list[1]']);
  });

  it('refuses a signature it does not know', () => {
    expect(() => decodeProperties({ x: { [pulumi.runtime.specialSigKey]: 'nope' } })).toThrow(
      'unknown property signature',
    );
  });
});
