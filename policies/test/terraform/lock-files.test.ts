import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootDirectories, terraformDirectory } from '../support/terraform.js';
import { lockFindings, providerConstraints, readLockFile, rootLockFindings } from './lock-file.js';

const lockOf = (root: string) => readFileSync(join(terraformDirectory, root, '.terraform.lock.hcl'), 'utf8');

describe('terraform/ provider lock files', () => {
  it.each(rootDirectories())(
    '%s locks every provider it and its modules require, at an allowed version, with checksums',
    async (root) => {
      expect(await rootLockFindings(join(terraformDirectory, root))).toEqual([]);
    },
  );

  it('requires the kubernetes provider in every stage (the token reviewer), so its lock must carry it', async () => {
    const constraints = await providerConstraints(join(terraformDirectory, 'envs/dev'));
    expect(Object.keys(constraints).sort()).toEqual([
      'registry.terraform.io/hashicorp/kubernetes',
      'registry.terraform.io/hashicorp/vault',
    ]);
  });

  it('reports a missing lock file, a provider left out, a version outside a constraint and a bad hash', async () => {
    const constraints = await providerConstraints(join(terraformDirectory, 'envs/dev'));
    expect(lockFindings(constraints, undefined)).toEqual([
      'no .terraform.lock.hcl: terraform init would pick versions and trust any checksum',
    ]);
    // The lock file as it would be without the kubernetes provider the reviewer needs.
    const vaultOnly = lockOf('envs/dev').replace(
      /provider "registry.terraform.io\/hashicorp\/kubernetes" \{[^}]*\}/,
      '',
    );
    expect(lockFindings(constraints, await readLockFile(vaultOnly))).toEqual([
      'registry.terraform.io/hashicorp/kubernetes is not locked',
    ]);
    const older = await readLockFile(
      lockOf('envs/dev').replace('version     = "5.4.0"', 'version     = "5.0.0"'),
    );
    expect(lockFindings(constraints, older)).toEqual([
      'registry.terraform.io/hashicorp/vault is locked at 5.0.0, outside "5.4.0"',
      'registry.terraform.io/hashicorp/vault is locked at 5.0.0, outside ">= 5.1.0, < 6.0.0"',
    ]);
    const tampered = await readLockFile(lockOf('kind').replaceAll(/"h1:[^"]+"/g, '"md5:0"'));
    expect(lockFindings(await providerConstraints(join(terraformDirectory, 'kind')), tampered)).toEqual([
      'registry.terraform.io/tehcyx/kind has no h1: hash',
      'registry.terraform.io/tehcyx/kind has a hash that is neither h1: nor zh:',
    ]);
  });
});
