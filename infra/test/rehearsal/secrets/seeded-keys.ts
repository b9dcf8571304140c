import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';

const staticSecretType = 'kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret';
const source =
  'docs/secrets.md (vault-values block); vault-secrets-operator@v1.4.1 api/v1beta1/common.go (Transformation)';

interface SyncSpec {
  mount?: string;
  path?: string;
  destination?: { transformation?: { templates?: Record<string, { text?: string }>; includes?: string[] } };
}

/** Vault keys a sync reads: the keys it copies (`^KEY$` includes) and those its templates `get`. */
function keysRead(spec: SyncSpec): string[] {
  const transformation = spec.destination?.transformation ?? {};
  const copied = (transformation.includes ?? []).map((pattern) => pattern.replace(/^\^|\$$/g, ''));
  const templated = Object.values(transformation.templates ?? {}).flatMap((t) =>
    [...(t.text ?? '').matchAll(/get\s+\.Secrets\s+"([^"]+)"/g)].map((m) => m[1] as string),
  );
  return [...new Set([...copied, ...templated])];
}

/**
 * Every key a Vault Secrets Operator sync reads from the service's KV path is in the documented seed for the
 * stage, and the seed's REDIS_URL points where the platform serves Redis. A key missing from the seed leaves
 * its consumer (Redis, the database) without a Secret on the first `pulumi up`.
 */
export function seededKeys(input: {
  resources: readonly RegisteredResource[];
  /** `<mount>/<path>` the service reads (and the seed is written to). */
  seedPath: string;
  seed: Readonly<Record<string, string>>;
  redisHost?: string;
  /**
   * URLs (without credentials) the charts derive the NetworkPolicy egress from (`connectionAddresses` of
   * @platform/charts): the seed's URLs must name the same host, port and database, or traffic goes where no
   * policy allows it.
   */
  addresses?: Readonly<Record<string, string>>;
}): Finding[] {
  const findings: Finding[] = [];
  for (const sync of input.resources.filter((r) => r.type === staticSecretType)) {
    const spec = (sync.inputs.spec ?? {}) as SyncSpec;
    if (`${spec.mount}/${spec.path}` !== input.seedPath) continue;
    const meta = (sync.inputs.metadata ?? {}) as { name?: string; namespace?: string };
    for (const key of keysRead(spec).filter((k) => !(k in input.seed))) {
      findings.push({
        subject: `VaultStaticSecret ${meta.namespace}/${meta.name}`,
        path: 'spec.destination.transformation',
        message: `reads ${key} from ${input.seedPath}, which the documented seed does not write`,
        source,
      });
    }
  }
  for (const [key, address] of Object.entries(input.addresses ?? {})) {
    const value = input.seed[key];
    if (value !== undefined && withoutCredentials(value) !== address) {
      findings.push({
        subject: `seed ${input.seedPath}`,
        path: key,
        message: `${withoutCredentials(value)} is not ${address}, the address the NetworkPolicies allow`,
        source: 'charts/src/runtime/connection-addresses.ts',
      });
    }
  }
  const redisUrl = input.seed.REDIS_URL;
  if (
    input.redisHost !== undefined &&
    redisUrl !== undefined &&
    new URL(redisUrl).hostname !== input.redisHost
  ) {
    findings.push({
      subject: `seed ${input.seedPath}`,
      path: 'REDIS_URL',
      message: `points at ${new URL(redisUrl).hostname}, the platform serves Redis at ${input.redisHost}`,
      source,
    });
  }
  return findings;
}

function withoutCredentials(value: string): string {
  const url = new URL(value);
  url.username = '';
  url.password = '';
  return url.toString();
}
