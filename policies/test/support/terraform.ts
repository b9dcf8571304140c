import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertFiles, parse } from '@cdktf/hcl2json';

export const terraformDirectory = fileURLToPath(new URL('../../../terraform/', import.meta.url));

type Blocks<T> = Record<string, T[]>;

export interface VariableBlock {
  type?: string;
  description?: string;
  default?: unknown;
  sensitive?: boolean;
}

export interface ProviderRequirement {
  source?: string;
  version?: string;
}

export interface TerraformBlock {
  required_version?: string;
  required_providers?: Record<string, ProviderRequirement>[];
  backend?: Blocks<Record<string, unknown>>;
}

/** The parts of hcl2json's output these tests read; expressions arrive as `${...}` strings. */
export interface TerraformConfig {
  terraform?: TerraformBlock[];
  variable?: Blocks<VariableBlock>;
  module?: Blocks<Record<string, unknown> & { source: string }>;
  resource?: Record<string, Blocks<Record<string, unknown>>>;
  data?: Record<string, Blocks<Record<string, unknown>>>;
  provider?: Blocks<Record<string, unknown>>;
  locals?: Record<string, unknown>[];
  output?: Blocks<{ value: unknown; description?: string }>;
}

/** All `.tf` files of one directory, merged the way Terraform reads a module. */
export async function readConfig(directory: string): Promise<TerraformConfig> {
  return (await convertFiles(directory)) as TerraformConfig;
}

export async function parseFile(file: string): Promise<Record<string, unknown>> {
  return parse(file, readFileSync(file, 'utf8'));
}

/** Every Terraform source file, relative to terraform/. */
export function terraformFiles(): string[] {
  const walk = (directory: string): string[] =>
    readdirSync(directory).flatMap((entry) => {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) return entry.startsWith('.') ? [] : walk(path);
      return /\.(tf|tfvars)$/.test(entry) ? [relative(terraformDirectory, path)] : [];
    });
  return walk(terraformDirectory).sort();
}

export function subdirectories(path: string): string[] {
  return readdirSync(join(terraformDirectory, path))
    .filter((entry) => statSync(join(terraformDirectory, path, entry)).isDirectory())
    .sort();
}

/** Root modules: where `terraform apply` runs, which pin providers and configure state. */
export function rootDirectories(): string[] {
  return ['kind', ...subdirectories('envs').map((stage) => `envs/${stage}`)];
}

export function moduleDirectories(): string[] {
  return subdirectories('modules').map((name) => `modules/${name}`);
}

export function only<T>(blocks: T[] | undefined, what: string): T {
  if (blocks?.length !== 1 || blocks[0] === undefined) throw new Error(`expected exactly one ${what}`);
  return blocks[0];
}

/** Flattens `required_providers` (hcl2json keeps one object per block). */
export function providerRequirements(config: TerraformConfig): Record<string, ProviderRequirement> {
  return Object.assign({}, ...(config.terraform ?? []).flatMap((block) => block.required_providers ?? []));
}

/** The values written in a tfvars file. */
export async function readTfvars(file: string): Promise<Record<string, unknown>> {
  return parseFile(join(terraformDirectory, file));
}

/** How hcl2json renders a reference: `ref('var.name')` is the string `${var.name}`. */
export const ref = (expression: string) => `\${${expression}}`;
