import type { Environment } from '../config/environment-schema.js';
import { mesh, postgres, redis } from '../contract.js';
import { type AppSettings, requiredSetting } from './app-settings.js';
import { namespaceOfServiceHost } from './cluster-dns.js';

export interface PortSpec {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** Where a dependency runs: pods in a namespace (optionally narrowed by labels) or an address block. */
export type Peer =
  | { readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly cidr: string };

/** A component a workload really calls; NetworkPolicy egress is generated from this list and nothing else. */
export interface Dependency {
  readonly name: string;
  readonly peer: Peer;
  readonly ports: readonly PortSpec[];
}

const tcp = (port: number): PortSpec => ({ port, protocol: 'TCP' });

const dns: Dependency = {
  name: 'cluster-dns',
  peer: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

/** The sidecar fetches its configuration and workload certificate from istiod (xDS and CA on one port). */
const meshControlPlane: Dependency = {
  name: 'istiod',
  peer: { namespace: mesh.istioNamespace, podLabels: { app: 'istiod' } },
  ports: [tcp(15012)],
};

const pooler: Dependency = {
  name: 'postgres-pooler',
  peer: { namespace: postgres.namespace, podLabels: { 'cnpg.io/poolerName': postgres.pooler } },
  ports: [tcp(postgres.port)],
};

/** Migrations bypass PgBouncer: they hold a transaction-scoped advisory lock on the primary (`-rw`). */
const primary: Dependency = {
  name: 'postgres-primary',
  peer: { namespace: postgres.namespace, podLabels: { 'cnpg.io/cluster': postgres.cluster } },
  ports: [tcp(postgres.port)],
};

const redisServer: Dependency = {
  name: 'redis',
  peer: { namespace: redis.namespace },
  ports: [tcp(redis.port)],
};

function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** A dependency reached by URL: in-cluster hosts by their namespace, others by the address block in config. */
function fromUrl(name: string, address: string, externalCidr: string | undefined): Dependency {
  const url = new URL(address);
  const namespace = namespaceOfServiceHost(url.hostname);
  if (namespace !== undefined) return { name, peer: { namespace }, ports: [tcp(portOf(url))] };
  if (externalCidr === undefined) {
    throw new Error(`${name} at ${address} is outside the cluster but no address block is configured for it`);
  }
  return { name, peer: { cidr: externalCidr }, ports: [tcp(portOf(url))] };
}

function vaultOf(env: Environment, settings: AppSettings): Dependency {
  const cidr = env.vault.network.placement === 'external' ? env.vault.network.cidr : undefined;
  return fromUrl('vault', requiredSetting(settings, 'VAULT_ADDR'), cidr);
}

/** What the API pods call: DNS, istiod (sidecar), the pooler, Redis, Vault, the OTel collector. */
export function apiDependencies(env: Environment, settings: AppSettings): Dependency[] {
  return [
    dns,
    meshControlPlane,
    pooler,
    redisServer,
    vaultOf(env, settings),
    fromUrl('otel-collector', requiredSetting(settings, 'OTEL_EXPORTER_OTLP_ENDPOINT'), undefined),
  ];
}

/**
 * What the worker pods call: the same components as the API (DNS, istiod, the pooler for its writes, Redis for
 * the queue, Vault, the collector), each from the same settings, so a moved address moves both rules.
 */
export function workerDependencies(env: Environment, settings: AppSettings): Dependency[] {
  return [
    dns,
    meshControlPlane,
    pooler,
    redisServer,
    vaultOf(env, settings),
    fromUrl('otel-collector', requiredSetting(settings, 'OTEL_EXPORTER_OTLP_ENDPOINT'), undefined),
  ];
}

/** What the migration Job calls: DNS, Vault (for the direct URL), the primary. No sidecar, so no istiod. */
export function migrationDependencies(env: Environment, settings: AppSettings): Dependency[] {
  return [dns, vaultOf(env, settings), primary];
}
