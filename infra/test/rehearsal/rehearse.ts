import { readFileSync } from 'node:fs';
import { service } from '@platform/charts/contract';
import { parse } from 'yaml';
import { vaultSeed } from '../../../app/src/cli/vault-seed.js';
import { chartPins } from '../../src/cluster/chart-pins.js';
import type { RegisteredResource } from '../../src/testing/registered-resources.js';
import { checkRegisteredCustomResources } from './crd/validate-custom-resource.js';
import type { Finding } from './findings.js';
import { checkHelmReleases } from './helm/check-helm-releases.js';
import { checkImages } from './images/check-images.js';
import { checkInternalPathsNotRouted, checkIstio, istioObjectsOf } from './istio/index.js';
import { networkPolicyPortFindings } from './network/network-policy-ports.js';
import { otlpProtocolFindings } from './network/otlp-receivers.js';
import { databaseAwaitedBeforeService } from './ordering/database-before-service.js';
import { databasePasswordChain } from './secrets/database-password-chain.js';

/** What the first `pulumi up` of a stage would meet, one entry per tool whose rules the rehearsal encodes. */
export type Rehearsal = Record<RehearsalCheck, Finding[]>;
export type RehearsalCheck =
  | 'custom resources (CRD schemas)'
  | 'Istio (istiod validation)'
  | 'Helm releases (chart schemas, templates, await)'
  | 'images (maintained, pinned)'
  | 'NetworkPolicy ports'
  | 'OTLP receivers'
  | 'database before the service'
  | 'database password chain'
  | 'gateway routes (internal paths)';

export interface RehearsalInput {
  /** The stage's Vault seed as documented (docs/secrets.md); absent: the seed is not compared. */
  seed?: Readonly<Record<string, string>>;
  /** The program's outputs: where the platform serves the database. */
  databaseHosts?: { pooled: string; direct: string };
}

/** The URLs the bring-up seeds (`npm run keys:generate`); secrets do not matter to the checks, only addresses. */
const seededAddresses = vaultSeed({
  databasePassword: 'p',
  databaseRuntimePassword: 'p',
  redisPassword: 'p',
  signingKeys: '[]',
  activeKid: 'k',
});

/** The collector chart's own receiver ports (values.yaml of the pinned chart). */
function collectorReceiverPorts() {
  const file = new URL(
    `upstream/opentelemetry-collector@${chartPins.otelCollector.version}/values.yaml`,
    import.meta.url,
  );
  const values = parse(readFileSync(file, 'utf8')) as {
    config: { receivers: { otlp: { protocols: Record<'grpc' | 'http', { endpoint: string }> } } };
  };
  const portOf = (endpoint: string) => Number(endpoint.split(':').at(-1));
  const { grpc, http } = values.config.receivers.otlp.protocols;
  return { grpc: portOf(grpc.endpoint), http: portOf(http.endpoint) };
}

/** Every per-stage check of the rehearsal over what one stage's program registered. */
export function rehearse(resources: readonly RegisteredResource[], input: RehearsalInput = {}): Rehearsal {
  return {
    'custom resources (CRD schemas)': checkRegisteredCustomResources(resources),
    'Istio (istiod validation)': checkIstio(resources),
    'Helm releases (chart schemas, templates, await)': checkHelmReleases(resources),
    'images (maintained, pinned)': checkImages(resources),
    'NetworkPolicy ports': networkPolicyPortFindings(resources, { vaultValues: seededAddresses }),
    'OTLP receivers': otlpProtocolFindings(resources, collectorReceiverPorts()),
    'database before the service': databaseAwaitedBeforeService(resources),
    'database password chain': databasePasswordChain({
      resources,
      seed: input.seed,
      hosts: input.databaseHosts,
    }),
    'gateway routes (internal paths)': checkInternalPathsNotRouted(istioObjectsOf(resources), [
      service.paths.ready,
      service.paths.live,
    ]),
  };
}
