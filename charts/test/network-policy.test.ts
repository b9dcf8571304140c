import { App } from 'cdk8s';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { vaultSeed } from '../../app/src/cli/vault-seed.js';
import { AppChart } from '../src/app-chart.js';
import { environments } from '../src/config/environments.js';
import { localImage, parseImageReference } from '../src/config/image-reference.js';
import { configMapName } from '../src/constructs/app-config-map.js';
import { mesh, monitoring, otel, postgres, redis, service } from '../src/contract.js';
import { connectionAddresses } from '../src/runtime/connection-addresses.js';
import type { KubeObject } from '../src/synth/synth-environment.js';
import { only, synthesized } from './support/fixtures.js';

const as = <T>(o: KubeObject) => o as unknown as T;

/** One egress destination, flattened: where (namespace, pod labels or CIDR) and which port. */
function destinations(policy: INetworkPolicy): string[] {
  return (policy.spec?.egress ?? []).flatMap((rule) =>
    (rule.to ?? []).flatMap((peer) => {
      const where = peer.ipBlock
        ? `cidr:${peer.ipBlock.cidr}`
        : `ns:${peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']}` +
          (peer.podSelector?.matchLabels ? ` ${JSON.stringify(peer.podSelector.matchLabels)}` : '');
      return (rule.ports ?? []).map((p) => `${where} ${p.protocol}/${p.port}`);
    }),
  );
}

/**
 * What the pods really call, worked out independently of the chart's dependency list: the addresses in the
 * rendered ConfigMap (Vault, collector), the contract's names (pooler, primary, Redis) and cluster plumbing.
 */
function expectedFromSettings(env: keyof typeof environments, settings: Record<string, string>) {
  const vaultUrl = new URL(settings.VAULT_ADDR!);
  const vaultNetwork = environments[env].vault.network;
  const vault =
    vaultNetwork.placement === 'external'
      ? `cidr:${vaultNetwork.cidr} TCP/${vaultUrl.port || 443}`
      : `ns:${vaultUrl.hostname.split('.')[1]} TCP/${vaultUrl.port}`;
  const collectorUrl = new URL(settings.OTEL_EXPORTER_OTLP_ENDPOINT!);
  expect(collectorUrl.hostname.split('.')[1]).toBe(otel.namespace);
  const dns = ['UDP', 'TCP'].map((p) => `ns:kube-system {"k8s-app":"kube-dns"} ${p}/53`);
  // The sidecar in the API and worker pods exports its spans over OTLP/gRPC, whatever protocol the app uses.
  const sidecarTracing = `ns:${otel.namespace} TCP/${otel.otlpGrpcPort}`;
  return {
    api: [
      ...dns,
      `ns:${mesh.istioNamespace} {"app":"istiod"} TCP/15012`,
      sidecarTracing,
      `ns:${postgres.namespace} {"cnpg.io/poolerName":"${postgres.pooler}"} TCP/${postgres.port}`,
      `ns:${redis.namespace} TCP/${redis.port}`,
      vault,
      `ns:${otel.namespace} TCP/${collectorUrl.port}`,
    ],
    // The worker calls the same components as the API: the queue in Redis, writes through the pooler.
    worker: [
      ...dns,
      `ns:${mesh.istioNamespace} {"app":"istiod"} TCP/15012`,
      sidecarTracing,
      `ns:${postgres.namespace} {"cnpg.io/poolerName":"${postgres.pooler}"} TCP/${postgres.port}`,
      `ns:${redis.namespace} TCP/${redis.port}`,
      vault,
      `ns:${otel.namespace} TCP/${collectorUrl.port}`,
    ],
    migration: [
      ...dns,
      vault,
      `ns:${postgres.namespace} {"cnpg.io/cluster":"${postgres.cluster}"} TCP/${postgres.port}`,
    ],
  };
}

describe.each(synthesized.map((r) => [r.env, r] as const))('%s network policy', (env, result) => {
  const settings = as<IConfigMap>(only(result, 'ConfigMap', configMapName)).data!;
  const expected = expectedFromSettings(env, settings);

  it('denies all traffic in the namespace by default', () => {
    const deny = as<INetworkPolicy>(only(result, 'NetworkPolicy', 'default-deny'));
    expect(deny.spec?.podSelector).toEqual({});
    expect(deny.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deny.spec?.ingress ?? []).toEqual([]);
    expect(deny.spec?.egress ?? []).toEqual([]);
  });

  it('lets the API call only DNS, istiod, the pooler, Redis, Vault and the collector (app and sidecar ports)', () => {
    const policy = as<INetworkPolicy>(only(result, 'NetworkPolicy', `${service.name}-api`));
    expect(destinations(policy).sort()).toEqual([...expected.api].sort());
  });

  it('lets the worker call only DNS, istiod, the pooler, Redis, Vault and the collector; admits the scraper', () => {
    const policy = as<INetworkPolicy>(only(result, 'NetworkPolicy', `${service.name}-worker`));
    expect(destinations(policy).sort()).toEqual([...expected.worker].sort());
    expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec?.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoring.namespace } } },
        ],
        ports: [{ port: service.worker.port, protocol: 'TCP' }],
      },
    ]);
  });

  it('lets the migration Job call only DNS, Vault and the Postgres primary', () => {
    const policy = as<INetworkPolicy>(only(result, 'NetworkPolicy', `${service.name}-migration`));
    expect(destinations(policy).sort()).toEqual([...expected.migration].sort());
    expect(policy.spec?.ingress ?? []).toEqual([]);
  });

  it('admits ingress to the API port only from the ingress gateway and the metrics scraper', () => {
    const policy = as<INetworkPolicy>(only(result, 'NetworkPolicy', `${service.name}-api`));
    const sources = (policy.spec?.ingress ?? []).flatMap((rule) =>
      (rule.from ?? []).flatMap((peer) =>
        (rule.ports ?? []).map(
          (p) => `${peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']}:${p.port}`,
        ),
      ),
    );
    expect(sources.sort()).toEqual(
      [`${mesh.ingressNamespace}:${service.port}`, `${monitoring.namespace}:${service.port}`].sort(),
    );
  });

  it('selects the pods of each workload by the labels those pods carry', () => {
    for (const [policyName, kind, ownerName] of [
      [`${service.name}-api`, 'Deployment', service.name],
      [`${service.name}-worker`, 'Deployment', service.worker.name],
      [`${service.name}-migration`, 'Job', undefined],
    ] as const) {
      const selector = as<INetworkPolicy>(only(result, 'NetworkPolicy', policyName)).spec?.podSelector
        .matchLabels;
      const owner = only(result, kind, ownerName) as unknown as {
        spec: { template: { metadata: { labels: object } } };
      };
      expect(owner.spec.template.metadata.labels).toMatchObject(selector!);
    }
  });
});

describe('egress follows configuration', () => {
  it('moves the Vault rule when the Vault address in the environment config changes', () => {
    const moved = {
      ...environments.local,
      vault: {
        address: 'http://vault.secrets.svc.cluster.local:8201',
        network: { placement: 'in-cluster' as const },
      },
    };
    const chart = new AppChart(new App(), {
      env: moved,
      image: parseImageReference(localImage, { requireDigest: false }),
    });
    const policy = chart.charts.foundation.toJson().find((o) => o.metadata.name === `${service.name}-api`);
    expect(destinations(policy)).toContain('ns:secrets TCP/8201');
    expect(destinations(policy)).not.toContain('ns:vault TCP/8200');
  });
});

describe('sidecar and app telemetry', () => {
  it('opens the port of the protocol the app is configured with, and the sidecar gRPC port beside it', () => {
    const grpc = { ...environments.local, telemetry: { otlpProtocol: 'grpc' as const } };
    const chart = new AppChart(new App(), {
      env: grpc,
      image: parseImageReference(localImage, { requireDigest: false }),
    });
    const objects = chart.charts.foundation.toJson();
    const settings = objects.find((o) => o.kind === 'ConfigMap').data;
    expect(settings.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(`:${otel.otlpGrpcPort}`);
    const policy = objects.find((o) => o.metadata.name === `${service.name}-api`);
    expect(destinations(policy)).toContain(`ns:${otel.namespace} TCP/${otel.otlpGrpcPort}`);
    expect(destinations(policy)).not.toContain(`ns:${otel.namespace} TCP/${otel.otlpHttpPort}`);
  });
});

describe('addresses held in Vault', () => {
  it('derives the database and Redis egress from the hosts and ports the Vault seed writes', () => {
    const seed = vaultSeed({
      databasePassword: 'p',
      databaseRuntimePassword: 'p',
      redisPassword: 'p',
      signingKeys: '[]',
      activeKid: 'k',
    });
    for (const key of ['DATABASE_URL', 'DATABASE_DIRECT_URL', 'REDIS_URL'] as const) {
      const seeded = new URL(seed[key]);
      const derived = new URL(connectionAddresses[key]);
      expect(`${seeded.hostname}:${seeded.port}`, key).toBe(`${derived.hostname}:${derived.port}`);
    }
  });
});
