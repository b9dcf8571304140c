/**
 * A root's `.terraform.lock.hcl` against what its configuration requires. `terraform init` installs, for each
 * provider, the locked version and refuses a package whose checksum matches none of the locked hashes; it
 * fails when the locked version no longer meets a constraint (Terraform's dependency lock file, documented at
 * developer.hashicorp.com/terraform/language/files/dependency-lock). So every provider the root or any module
 * it calls requires must be locked, at a version every constraint allows, with h1:/zh: hashes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import semver from 'semver';
import { providerRequirements, readConfig } from '../support/terraform.js';

export interface LockedProvider {
  version: string;
  constraints?: string;
  hashes: string[];
}

/** Provider source address (registry.terraform.io/<namespace>/<type>) -> its lock entry. */
export async function readLockFile(text: string): Promise<Record<string, LockedProvider>> {
  const parsed = (await parse('.terraform.lock.hcl', text)) as {
    provider?: Record<string, LockedProvider[]>;
  };
  return Object.fromEntries(
    Object.entries(parsed.provider ?? {}).flatMap(([address, [entry]]) => (entry ? [[address, entry]] : [])),
  );
}

/** Every constraint on each provider, from the root and each module it calls, by full source address. */
export async function providerConstraints(directory: string): Promise<Record<string, string[]>> {
  const constraints: Record<string, string[]> = {};
  const visit = async (dir: string) => {
    const config = await readConfig(dir);
    for (const { source = '', version } of Object.values(providerRequirements(config))) {
      const address = source.split('/').length === 2 ? `registry.terraform.io/${source}` : source;
      constraints[address] = [...new Set([...(constraints[address] ?? []), ...(version ? [version] : [])])];
    }
    for (const blocks of Object.values(config.module ?? {}))
      for (const { source } of blocks) if (source.startsWith('.')) await visit(resolve(dir, source));
  };
  await visit(directory);
  return constraints;
}

/** Terraform's `>= 1.2.0, < 2.0.0` (commas between parts) as a semver range. */
const asRange = (constraint: string) => constraint.replaceAll(',', ' ');

export function lockFindings(
  constraints: Record<string, string[]>,
  locked: Record<string, LockedProvider> | undefined,
): string[] {
  if (!locked) return ['no .terraform.lock.hcl: terraform init would pick versions and trust any checksum'];
  return Object.entries(constraints).flatMap(([address, ranges]) => {
    const entry = locked[address];
    if (!entry) return [`${address} is not locked`];
    const findings = ranges
      .filter((range) => !semver.satisfies(entry.version, asRange(range)))
      .map((range) => `${address} is locked at ${entry.version}, outside "${range}"`);
    if (!entry.hashes?.some((hash) => /^h1:[A-Za-z0-9+/]{43}=$/.test(hash)))
      findings.push(`${address} has no h1: hash`);
    if (!entry.hashes?.every((hash) => /^(h1:[A-Za-z0-9+/]{43}=|zh:[0-9a-f]{64})$/.test(hash)))
      findings.push(`${address} has a hash that is neither h1: nor zh:`);
    return findings;
  });
}

export async function rootLockFindings(directory: string): Promise<string[]> {
  const file = join(directory, '.terraform.lock.hcl');
  const locked = existsSync(file) ? await readLockFile(readFileSync(file, 'utf8')) : undefined;
  return lockFindings(await providerConstraints(directory), locked);
}
