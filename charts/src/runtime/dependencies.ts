import type { Environment } from '../config/environment-schema.js';
import { mesh, postgres } from '../contract.js';
import type { AppSettings } from './app-settings.js';
import { canonicalServiceHost, namespaceOfServiceHost, serviceHost } from './cluster-dns.js';
import { connectionAddresses } from './connection-addresses.js';
import { meshSidecar, meshTracingUrl } from './mesh-sidecar.js';

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

/** The service's processes, each with its own pods and its own NetworkPolicy. */
export type ProcessName = 'api' | 'worker' | 'migration';

/**
 * The settings each process opens connections with (app/src/main.ts, worker.ts, cli/db-migrate.ts). The
 * migration reads only Vault and the direct URL; it loads no telemetry (no `--import ./dist/telemetry.js`).
 */
export const connectionSettings = {
  api: ['DATABASE_URL', 'REDIS_URL', 'VAULT_ADDR', 'OTEL_EXPORTER_OTLP_ENDPOINT'],
  worker: ['DATABASE_URL', 'REDIS_URL', 'VAULT_ADDR', 'OTEL_EXPORTER_OTLP_ENDPOINT'],
  migration: ['VAULT_ADDR', 'DATABASE_DIRECT_URL'],
} as const satisfies Record<ProcessName, readonly string[]>;

/** Pods with a mesh sidecar; the migration Job has none (see migration-job.ts). */
const withSidecar: Record<ProcessName, boolean> = { api: true, worker: true, migration: false };

/** Every pod resolves names through the cluster DNS (dnsPolicy ClusterFirst, the default). */
const dns: Dependency = {
  name: 'cluster-dns',
  peer: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

/** The pods behind a service, where a selector narrower than its namespace is known. */
const podsBehind: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [serviceHost('istiod', mesh.istioNamespace)]: { app: 'istiod' },
  [serviceHost(postgres.pooler, postgres.namespace)]: { 'cnpg.io/poolerName': postgres.pooler },
  [serviceHost(postgres.rwService, postgres.namespace)]: { 'cnpg.io/cluster': postgres.cluster },
};

const defaultPorts: Readonly<Record<string, number>> = {
  'http:': 80,
  'https:': 443,
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
};

function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  const port = defaultPorts[url.protocol];
  if (port === undefined) throw new Error(`${url.href} names no port and ${url.protocol} has no default`);
  return port;
}

/**
 * A dependency reached by URL: an in-cluster host by its namespace (and its pods' labels where known), any
 * other host by the address block the environment configures for it.
 */
function fromUrl(name: string, address: string, externalCidrs: Readonly<Record<string, string>>): Dependency {
  const url = new URL(address);
  const ports = [{ port: portOf(url), protocol: 'TCP' as const }];
  const host = canonicalServiceHost(url.hostname);
  const namespace = namespaceOfServiceHost(url.hostname);
  if (host !== undefined && namespace !== undefined) {
    const podLabels = podsBehind[host];
    return { name, peer: { namespace, ...(podLabels ? { podLabels } : {}) }, ports };
  }
  const cidr = externalCidrs[url.hostname];
  if (cidr === undefined) {
    throw new Error(`${name} at ${address} is outside the cluster but no address block is configured for it`);
  }
  return { name, peer: { cidr }, ports };
}

/** Address blocks of the hosts outside the cluster, from the environment (NetworkPolicy cannot name hosts). */
function externalCidrs(env: Environment): Record<string, string> {
  const { network, address } = env.vault;
  return network.placement === 'external' ? { [new URL(address).hostname]: network.cidr } : {};
}

/**
 * What a process's pods call, every port taken from the address it is configured with: DNS; the sidecar's
 * istiod and tracing collector (from the mesh's configuration); then each URL the process connects with, read
 * from its ConfigMap settings or, for the URLs that live in Vault, from the addresses those must point at.
 */
export function dependenciesOf(process: ProcessName, env: Environment, settings: AppSettings): Dependency[] {
  const addresses: Readonly<Record<string, string>> = { ...connectionAddresses, ...settings };
  const cidrs = externalCidrs(env);
  const sidecar = withSidecar[process]
    ? [fromUrl('istiod', meshSidecar.discoveryUrl, cidrs), fromUrl('mesh-tracing', meshTracingUrl, cidrs)]
    : [];
  const connections = connectionSettings[process].map((key) => {
    const address = addresses[key];
    if (address === undefined) throw new Error(`setting ${key} is missing`);
    return fromUrl(key, address, cidrs);
  });
  return [dns, ...sidecar, ...connections];
}

export const apiDependencies = (env: Environment, settings: AppSettings) =>
  dependenciesOf('api', env, settings);
export const workerDependencies = (env: Environment, settings: AppSettings) =>
  dependenciesOf('worker', env, settings);
export const migrationDependencies = (env: Environment, settings: AppSettings) =>
  dependenciesOf('migration', env, settings);
