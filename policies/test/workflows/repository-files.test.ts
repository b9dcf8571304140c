import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { githubDirectory, repositoryRoot } from '../support/workflows.js';

interface Update {
  'package-ecosystem': string;
  directory?: string;
  directories?: string[];
}

const dependabot = parse(readFileSync(join(githubDirectory, 'dependabot.yml'), 'utf8')) as {
  version: number;
  updates: Update[];
};
const codeowners = readFileSync(join(githubDirectory, 'CODEOWNERS'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => line.trim().split(/\s+/) as [string, ...string[]]);

/** Dependabot's directory globs, expanded one level (`/terraform/envs/*`). */
function expand(directory: string): string[] {
  if (!directory.endsWith('/*')) return [directory];
  const parent = directory.slice(0, -2);
  return readdirSync(join(repositoryRoot, parent)).map((entry) => `${parent}/${entry}`);
}

describe('dependabot.yml', () => {
  it('keeps npm, the pinned actions, the base image and the Terraform providers current', () => {
    expect(dependabot.version).toBe(2);
    expect(dependabot.updates.map((update) => update['package-ecosystem']).sort()).toEqual([
      'docker',
      'github-actions',
      'npm',
      'terraform',
    ]);
  });

  it('points every ecosystem at directories that exist and hold its files', () => {
    const manifest: Record<string, string> = {
      npm: 'package-lock.json',
      docker: 'Dockerfile',
      terraform: 'versions.tf',
    };
    for (const update of dependabot.updates) {
      const directories = [update.directory ?? [], update.directories ?? []].flat().flatMap(expand);
      expect(directories.length).toBeGreaterThan(0);
      for (const directory of directories) {
        const file = manifest[update['package-ecosystem']];
        expect(existsSync(join(repositoryRoot, directory, file ?? '')), `${directory} ${file ?? ''}`).toBe(
          true,
        );
      }
    }
  });

  it('watches every Terraform root and module', () => {
    const terraform = dependabot.updates.find((update) => update['package-ecosystem'] === 'terraform');
    const watched = (terraform?.directories ?? []).flatMap(expand);
    for (const parent of ['terraform/envs', 'terraform/modules']) {
      for (const entry of readdirSync(join(repositoryRoot, parent)))
        expect(watched).toContain(`/${parent}/${entry}`);
    }
  });
});

describe('CODEOWNERS', () => {
  it('names an existing path and at least one owning team on every line', () => {
    for (const [pattern, ...owners] of codeowners) {
      if (pattern !== '*') expect(existsSync(join(repositoryRoot, pattern)), pattern).toBe(true);
      expect(owners.length, pattern).toBeGreaterThan(0);
      for (const owner of owners) expect(owner).toMatch(/^@[\w-]+\/[\w-]+$/);
    }
  });

  it('gives every top-level folder a specific owner beyond the default', () => {
    const owned = new Set(codeowners.map(([pattern]) => pattern));
    for (const folder of ['app', 'charts', 'infra', 'policies', 'terraform', '.github', 'docs']) {
      expect(owned, folder).toContain(`/${folder}/`);
    }
  });
});
