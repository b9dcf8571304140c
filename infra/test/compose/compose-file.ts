import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The parts of a Compose service these checks read; the schema check covers every other field. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { published?: string | number; host_ip?: string; protocol?: string }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [extension: `x-${string}`]: unknown;
}

/**
 * A Compose file as `docker compose` reads it: YAML 1.2 with merge keys (`<<: *anchor`), which Compose
 * resolves before validating against its schema.
 */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

export const readRepoFile = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

export const loadCompose = () => parseCompose(readRepoFile('compose.yaml'));

/** A deep copy to plant a defect in. */
export const copyOf = <T>(value: T): T => structuredClone(value);

/** A service's environment as a map, whichever of Compose's two forms it is written in. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}

/** `depends_on` in its long form, whichever form it is written in (the short form means service_started). */
export function dependenciesOf(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

/** Host-side files a service mounts (`./path:/target`), relative to the repository root, with their target. */
export function bindMountsOf(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume === 'string') {
      const [source = '', target = ''] = volume.split(':');
      return source.startsWith('./') ? [{ source: source.slice(2), target }] : [];
    }
    return volume.type === 'bind' && volume.source && volume.target
      ? [{ source: volume.source.replace(/^\.\//, ''), target: volume.target }]
      : [];
  });
}
