/**
 * What `terraform validate` would refuse in one module directory, read from hcl2json's parse: references to
 * variables, locals, modules, data sources and resources that are not declared; module sources that do not
 * exist, inputs a module does not declare and required ones left out; providers used without a source and
 * version in required_providers. Each check returns findings (one line each), so a broken fixture shows them.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { providerRequirements, readConfig, type TerraformConfig } from '../support/terraform.js';

/** Names an expression may start with that are not declarations of this module. */
const builtins = new Set(['each', 'count', 'path', 'terraform', 'self']);
const reference =
  /(?<![\w."-])(var|local|module|data|[a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g;

/** Every `${...}` expression in a parsed value, with where it sits. */
function* expressions(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') {
    for (const [, body] of value.matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)) yield [path, body ?? ''];
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* expressions(item, `${path}[${index}]`);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* expressions(item, path ? `${path}.${key}` : key);
  }
}

/** Iterator names of `dynamic` blocks (`rule.value` refers to the block being generated, not a resource). */
function dynamicIterators(config: TerraformConfig): Set<string> {
  const names = new Set<string>();
  for (const [path] of expressions(config, '')) {
    const [, name] = /\.dynamic\.(\w+)/.exec(path) ?? [];
    if (name) names.add(name);
  }
  return names;
}

export function undeclaredReferences(config: TerraformConfig): string[] {
  const locals = new Set(
    (config as { locals?: object[] }).locals?.flatMap((block) => Object.keys(block)) ?? [],
  );
  const iterators = dynamicIterators(config);
  const declared = (kind: string, name: string, attribute?: string): boolean => {
    switch (kind) {
      case 'var':
        return name in (config.variable ?? {});
      case 'local':
        return locals.has(name);
      case 'module':
        return name in (config.module ?? {});
      case 'data':
        return Boolean(attribute && config.data?.[name]?.[attribute]);
      default:
        return Boolean(config.resource?.[kind]?.[name]);
    }
  };
  const findings: string[] = [];
  for (const [path, body] of expressions(config, '')) {
    for (const [, kind = '', name = '', attribute] of body.matchAll(reference)) {
      if (builtins.has(kind) || iterators.has(kind)) continue;
      if (!declared(kind, name, attribute)) {
        const what = kind === 'data' ? `data.${name}.${attribute}` : `${kind}.${name}`;
        findings.push(`${path}: ${what} is not declared`);
      }
    }
  }
  return [...new Set(findings)];
}

/** Module calls whose source is missing, that pass inputs the module lacks or leave required ones out. */
export async function moduleCallFindings(directory: string, config: TerraformConfig): Promise<string[]> {
  const findings: string[] = [];
  for (const [name, blocks] of Object.entries(config.module ?? {})) {
    for (const { source, ...inputs } of blocks) {
      const target = resolve(directory, source);
      if (!existsSync(target)) {
        findings.push(`module.${name}: source ${source} does not exist`);
        continue;
      }
      const variables = (await readConfig(target)).variable ?? {};
      for (const input of Object.keys(inputs)) {
        if (!['providers', 'depends_on', 'count', 'for_each'].includes(input) && !(input in variables))
          findings.push(`module.${name}: ${source} declares no variable "${input}"`);
      }
      for (const [variable, [declaration]] of Object.entries(variables)) {
        if (declaration && !('default' in declaration) && !(variable in inputs))
          findings.push(`module.${name}: required variable "${variable}" is not set`);
      }
    }
  }
  return findings;
}

/** Providers used by resources, data sources or provider blocks but not in required_providers with a version. */
export function undeclaredProviders(config: TerraformConfig): string[] {
  const required = providerRequirements(config);
  const used = new Set([
    ...[...Object.keys(config.resource ?? {}), ...Object.keys(config.data ?? {})].map(
      (type) => type.split('_')[0],
    ),
    ...Object.keys(config.provider ?? {}),
  ]);
  return [...used].flatMap((provider = '') => {
    const requirement = required[provider];
    if (!requirement) return [`provider ${provider} is used but not in required_providers`];
    if (!requirement.source || !requirement.version) return [`provider ${provider} has no source or version`];
    return [];
  });
}

export async function structureFindings(directory: string): Promise<string[]> {
  const config = await readConfig(directory);
  return [
    ...undeclaredReferences(config),
    ...(await moduleCallFindings(directory, config)),
    ...undeclaredProviders(config),
  ];
}
