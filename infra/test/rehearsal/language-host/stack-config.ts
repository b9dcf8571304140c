import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The stack's configuration as the engine hands it to the language host: `<namespace>:<name>` → string. */
export interface StackConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

/**
 * `<namespace>:<name>` (or the legacy `<namespace>:config:<name>`), as pulumi/pulumi@v3.248.0
 * sdk/go/common/resource/config/key.go `ParseKey`; `--config` on the command line also accepts a bare name,
 * which lands in the project's namespace.
 */
function parseKey(key: string, projectName?: string): string {
  const parts = key.split(':');
  if (parts.length === 1 && projectName) return `${projectName}:${key}`;
  if (parts.length === 2) return key;
  if (parts.length === 3 && parts[1] === 'config') return `${parts[0]}:${parts[2]}`;
  throw new Error(
    `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
  );
}

/** Go's encoding/json writes map keys sorted; the engine's JSON for object values follows it. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

/**
 * One value as a string, as pulumi/pulumi@v3.248.0 sdk/go/common/resource/config/object.go `MarshalString`:
 * strings stay as written, booleans and numbers become their JSON text, maps and lists become JSON.
 * `secure:` values need the stack's secrets provider, which the rehearsal does not have.
 */
function marshalString(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value);
  if (value && typeof value === 'object' && 'secure' in value && Object.keys(value).length === 1) {
    throw new Error(`${key}: secure values cannot be decrypted here; pass the plain value as an override`);
  }
  return sortedJson(value);
}

/**
 * Reads `Pulumi.<stack>.yaml` the way the CLI does, then applies `--config key=value` overrides
 * (strings, as on the command line). A stack file that does not exist is an empty stack, as for a new stack.
 */
export function readStackConfig(
  rootDirectory: string,
  projectName: string,
  stack: string,
  overrides: Record<string, string> = {},
): StackConfig {
  const file = join(rootDirectory, `Pulumi.${stack}.yaml`);
  const doc = existsSync(file)
    ? ((parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null) ?? {})
    : {};
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    config[parseKey(key)] = marshalString(key, value);
  }
  for (const [key, value] of Object.entries(overrides)) {
    config[parseKey(key, projectName)] = value;
  }
  return { config, secretKeys: [] };
}

/**
 * `PULUMI_CONFIG` as the language host writes it: every key in the legacy `<namespace>:config:<name>` form,
 * as pulumi/pulumi@v3.248.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go `constructConfig`.
 */
export function languageHostConfigJson(config: Record<string, string>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(config).map(([key, value]) => {
        const [namespace, name] = parseKey(key).split(':') as [string, string];
        return [`${namespace}:config:${name}`, value];
      }),
    ),
  );
}
