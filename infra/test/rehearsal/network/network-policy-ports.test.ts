import { readFileSync } from 'node:fs';
import { type Stage, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { vaultSeed } from '../../../../app/src/cli/vault-seed.js';
import { chartPins } from '../../../src/cluster/chart-pins.js';
import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import { mockPlatform } from '../../../src/testing/registered-resources.js';
import { formatFindings } from '../findings.js';
import { networkPolicyPortFindings } from './network-policy-ports.js';
import { otlpProtocolFindings } from './otlp-receivers.js';

const beforeFixes = (stage: Stage): RegisteredResource[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/before-fixes/${stage}.json`, import.meta.url), 'utf8'));

/** The values the bring-up seeds into each stage's Vault (`npm run keys:generate`): the URLs the pods read. */
const vaultValues = vaultSeed({
  databasePassword: 'p',
  databaseRuntimePassword: 'p',
  redisPassword: 'p',
  signingKeys: '[]',
  activeKid: 'k',
});

type Policy = {
  kind: string;
  metadata: { name: string };
  spec: { egress?: { ports?: { port: number }[] }[] };
};
const objsOf = (resources: RegisteredResource[]) =>
  resources.flatMap((r) => (r.type === 'kubernetes:yaml/v2:ConfigGroup' ? (r.inputs.objs as Policy[]) : []));

describe('NetworkPolicy allows every port the workloads are configured to use', () => {
  // Pulumi mocks are process-wide: one stage after the other.
  for (const stage of stages) {
    it(`${stage}: every configured destination is allowed`, async () => {
      const { resources } = await mockPlatform(stage);
      const findings = networkPolicyPortFindings(resources, { vaultValues });
      expect(formatFindings(findings)).toBe('');
    });
  }

  it.each(stages)(
    '%s before the fixes: the sidecar exports spans to 4317 while the policies opened only 4318',
    (stage) => {
      const findings = networkPolicyPortFindings(beforeFixes(stage), { vaultValues });
      const sidecar = findings.filter((f) => f.message.includes(':4317/TCP'));
      expect(sidecar.map((f) => f.subject).sort()).toEqual([
        'Deployment platform-api/platform-api',
        'Deployment platform-api/platform-api-worker',
      ]);
      expect(sidecar[0]?.message).toContain('tracing provider "otel-collector"');
    },
  );

  it('reports a URL setting whose port no rule opens (Redis moved to another port)', () => {
    const findings = networkPolicyPortFindings(beforeFixes('dev'), {
      vaultValues: { ...vaultValues, REDIS_URL: 'redis://redis-master.redis.svc.cluster.local:6380' },
    });
    expect(
      findings.some(
        (f) => f.message.startsWith('REDIS_URL of container api') && f.message.includes(':6380/TCP'),
      ),
    ).toBe(true);
  });

  it('reports an external Vault whose address block rule is gone', () => {
    const resources = beforeFixes('prod').map((r) => {
      if (r.type !== 'kubernetes:yaml/v2:ConfigGroup') return r;
      const objs = objsOf([r]).map((o) =>
        o.kind === 'NetworkPolicy'
          ? {
              ...o,
              spec: {
                ...o.spec,
                egress: (o.spec.egress ?? []).filter((rule) => !JSON.stringify(rule).includes('ipBlock')),
              },
            }
          : o,
      );
      return { ...r, inputs: { ...r.inputs, objs } };
    });
    const vault = networkPolicyPortFindings(resources, { vaultValues }).filter((f) =>
      f.message.startsWith('VAULT_ADDR'),
    );
    expect(vault.map((f) => f.subject).sort()).toEqual([
      expect.stringMatching(/^Deployment platform-api\/platform-api$/),
      'Deployment platform-api/platform-api-worker',
      expect.stringMatching(/^Job platform-api\/platform-api-migrate-/),
    ]);
    expect(vault[0]?.message).toContain('vault.platform.example.com:8200/TCP');
  });

  it('reports a destination namespace whose own ingress policy does not admit the caller', async () => {
    const resources = beforeFixes('dev');
    const denyCollector: RegisteredResource = {
      type: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      name: 'observability-ingress',
      urn: 'urn:pulumi:dev::platform::kubernetes:networking.k8s.io/v1:NetworkPolicy::observability-ingress',
      dependsOn: [],
      inputs: {
        metadata: { name: 'collector-ingress', namespace: 'observability' },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'platform-api' } } },
              ],
              ports: [{ port: 4317 }],
            },
          ],
        },
      },
    };
    const findings = networkPolicyPortFindings([...resources, denyCollector], { vaultValues });
    const ingress = findings.filter((f) => f.path === 'NetworkPolicy ingress in namespace observability');
    expect(ingress.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'OTEL_EXPORTER_OTLP_ENDPOINT of container api connects to otel-collector.observability.svc.cluster.local:4318/TCP',
        ),
      ]),
    );
    expect(ingress.every((f) => !f.message.includes(':4317/'))).toBe(true);
  });

  it('sees no pod egress in a stage without NetworkPolicies as blocked (no isolation, no finding)', () => {
    const resources = beforeFixes('prod').map((r) =>
      r.type === 'kubernetes:yaml/v2:ConfigGroup'
        ? { ...r, inputs: { ...r.inputs, objs: objsOf([r]).filter((o) => o.kind !== 'NetworkPolicy') } }
        : r,
    );
    expect(networkPolicyPortFindings(resources, { vaultValues })).toEqual([]);
  });
});

describe('gateway routes into the service', () => {
  it('reports an API policy that admits the gateway on another port than the route reaches', () => {
    const resources = beforeFixes('staging').map((r) => {
      if (r.type !== 'kubernetes:yaml/v2:ConfigGroup') return r;
      const objs = (
        r.inputs.objs as { kind: string; metadata: { name: string }; spec: Record<string, unknown> }[]
      ).map((o) =>
        o.kind === 'NetworkPolicy' && o.metadata.name === 'platform-api-api'
          ? {
              ...o,
              spec: {
                ...o.spec,
                ingress: [
                  {
                    from: [
                      {
                        namespaceSelector: {
                          matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' },
                        },
                      },
                    ],
                    ports: [{ port: 8080, protocol: 'TCP' }],
                  },
                ],
              },
            }
          : o,
      );
      return { ...r, inputs: { ...r.inputs, objs } };
    });
    const findings = networkPolicyPortFindings(resources, { vaultValues });
    expect(
      findings.filter((f) => f.subject === 'VirtualService platform-api/platform-api').map((f) => f.message),
    ).toEqual([
      expect.stringContaining(
        'reaches platform-api.platform-api.svc.cluster.local:3000/TCP, but the ingress policies selecting those pods (default-deny, platform-api-api) do not admit it',
      ),
    ]);
    const today = networkPolicyPortFindings(beforeFixes('staging'), { vaultValues });
    expect(today.filter((f) => f.subject.startsWith('VirtualService'))).toEqual([]);
  });
});

describe('OTLP exporters send to the collector port of their protocol', () => {
  // The chart's own receiver defaults, from the pinned chart's values.yaml.
  const chartValues = parse(
    readFileSync(
      new URL(
        `../upstream/opentelemetry-collector@${chartPins.otelCollector.version}/values.yaml`,
        import.meta.url,
      ),
      'utf8',
    ),
  ) as { config: { receivers: { otlp: { protocols: Record<'grpc' | 'http', { endpoint: string }> } } } };
  const portOf = (endpoint: string) => Number(endpoint.split(':').at(-1));
  const { grpc, http } = chartValues.config.receivers.otlp.protocols;
  const chartDefaults = { grpc: portOf(grpc.endpoint), http: portOf(http.endpoint) };

  it.each(stages)('%s: the app (http/protobuf, 4318) and the collector receivers agree', async (stage) => {
    const { resources } = await mockPlatform(stage);
    expect(formatFindings(otlpProtocolFindings(resources, chartDefaults))).toBe('');
  });

  it('reports an app switched to gRPC but still pointed at the http receiver', () => {
    const resources = beforeFixes('dev').map((r) => {
      if (r.type !== 'kubernetes:yaml/v2:ConfigGroup') return r;
      const objs = (r.inputs.objs as { kind: string; data?: Record<string, string> }[]).map((o) =>
        o.kind === 'ConfigMap' ? { ...o, data: { ...o.data, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } } : o,
      );
      return { ...r, inputs: { ...r.inputs, objs } };
    });
    const findings = otlpProtocolFindings(resources, chartDefaults);
    expect(findings.map((f) => f.subject)).toContain('Deployment platform-api/platform-api');
    expect(findings[0]?.message).toBe(
      "exports OTLP/grpc to port 4318, but the collector's grpc receiver listens on 4317",
    );
  });
});
