import { type Stage, stages } from '@platform/charts/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStageConfig, mockPlatform, type RegisteredResource } from '../../../src/testing/index.js';
import { formatFindings } from '../findings.js';
import { checkHelmReleases, helmReleaseType } from './check-helm-releases.js';
import { clusterCapabilities } from './cluster-capabilities.js';
import { coalesceValues } from './helm-values.js';
import { checkGatewayOnKind, kindMappedNodePorts, readKindModule } from './kind-port-mappings.js';

const resources = {} as Record<Stage, RegisteredResource[]>;
let localWithLoadBalancer: RegisteredResource[];

beforeAll(async () => {
  // Mocks are process-wide, so the programs run one after another.
  for (const stage of stages) resources[stage] = (await mockPlatform(stage)).resources;
  // Today's local stage before the fix: the gateway chart's default Service type (LoadBalancer) on kind.
  const local = loadStageConfig('local');
  const config = {
    ...local,
    mesh: { ...local.mesh, ingress: { ...local.mesh.ingress, serviceType: 'LoadBalancer' as const } },
  };
  localWithLoadBalancer = (await mockPlatform('local', { config })).resources;
}, 120_000);

function release(stage: Stage, name: string): RegisteredResource {
  const found = resources[stage].find((r) => r.type === helmReleaseType && r.name === name);
  if (!found) throw new Error(`${stage} has no release ${name}`);
  return found;
}

/** A copy of a release with its values changed the way a defect would change them. */
function planted(
  base: RegisteredResource,
  values: Record<string, unknown>,
  inputs: Record<string, unknown> = {},
) {
  return {
    ...base,
    inputs: {
      ...base.inputs,
      ...inputs,
      values: coalesceValues((base.inputs.values ?? {}) as never, values as never),
    },
  };
}

/** The values src/redis/redis.ts gave the Bitnami chart for staging before Redis moved to Valkey objects. */
const bitnamiRedisRelease: RegisteredResource = {
  type: helmReleaseType,
  name: 'redis',
  urn: 'urn:pulumi:staging::platform::platform:redis:Redis$kubernetes:helm.sh/v3:Release::redis',
  dependsOn: [],
  inputs: {
    chart: 'oci://registry-1.docker.io/bitnamicharts/redis',
    version: '23.1.1',
    name: 'redis',
    namespace: 'redis',
    values: {
      architecture: 'replication',
      auth: { enabled: true, existingSecret: 'redis-auth', existingSecretPasswordKey: 'REDIS_PASSWORD' },
      replica: {
        replicaCount: 3,
        persistence: { enabled: true, size: '4Gi' },
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      },
      sentinel: { enabled: true, quorum: 2, masterService: { enabled: true } },
      rbac: { create: true },
    },
  },
};

describe.each(stages)('Helm releases of %s', (stage) => {
  it('pass their charts’ schemas and validation templates, and can finish waiting on the stage’s cluster', () => {
    const findings = checkHelmReleases(resources[stage], clusterCapabilities(stage));
    expect(formatFindings(findings)).toBe('');
  });
});

describe('a planted defect fails with the chart’s own message', () => {
  it('the gateway as a LoadBalancer on kind waits for an address that never comes', () => {
    const findings = checkHelmReleases(localWithLoadBalancer, clusterCapabilities('local'));
    expect(findings).toEqual([
      expect.objectContaining({
        subject: 'Release istio-ingress/istio-ingress',
        path: 'values.service.type',
        message: expect.stringContaining('never gets an ingress address'),
      }),
    ]);
  });

  it('the stack in the URNs says which cluster the releases land on', () => {
    expect(checkHelmReleases(localWithLoadBalancer).map((f) => f.path)).toEqual(['values.service.type']);
  });

  it('the same LoadBalancer is fine where load balancers get addresses, or when the release does not wait', () => {
    expect(checkHelmReleases(localWithLoadBalancer, { loadBalancerAddresses: true })).toEqual([]);
    const gateway = localWithLoadBalancer.filter(
      (r) => r.name === 'istio-ingress' && r.type === helmReleaseType,
    );
    const skipping = gateway.map((r) => ({ ...r, inputs: { ...r.inputs, skipAwait: true } }));
    expect(checkHelmReleases(skipping, clusterCapabilities('local'))).toEqual([]);
  });

  it('Bitnami Redis with Sentinel aborts unless replica.automountServiceAccountToken is true', () => {
    const findings = checkHelmReleases([bitnamiRedisRelease]);
    expect(findings).toEqual([
      {
        subject: 'Release redis/redis',
        path: 'values.replica.automountServiceAccountToken',
        message: expect.stringContaining(
          'you need to enable\n    replica.automountServiceAccountToken'.replace(/\n\s+/, ' '),
        ),
        source: 'bitnami/charts@redis/23.1.1 bitnami/redis/templates/_helpers.tpl (redis.validateValues)',
      },
    ]);
    const fixed = planted(bitnamiRedisRelease, { replica: { automountServiceAccountToken: true } });
    expect(checkHelmReleases([fixed])).toEqual([]);
  });

  it("moving Bitnami Redis to bitnamilegacy images aborts in the chart's own image check", () => {
    const legacy = planted(bitnamiRedisRelease, {
      replica: { automountServiceAccountToken: true },
      image: { repository: 'bitnamilegacy/redis' },
      sentinel: { image: { repository: 'bitnamilegacy/redis-sentinel' } },
    });
    expect(checkHelmReleases([legacy])).toEqual([
      expect.objectContaining({
        path: 'values.image',
        message:
          'Original containers have been substituted for unrecognized ones. Unrecognized images: ' +
          'docker.io/bitnamilegacy/redis:8.2.1-debian-12-r0, docker.io/bitnamilegacy/redis-sentinel:8.2.1-debian-12-r0',
      }),
    ]);
    const allowed = planted(legacy, { global: { security: { allowInsecureImages: true } } });
    expect(checkHelmReleases([allowed])).toEqual([]);
  });

  it("the collector without a mode fails the chart's NOTES.txt check", () => {
    const findings = checkHelmReleases([planted(release('dev', 'otel-collector'), { mode: null })]);
    expect(findings.map((f) => f.message)).toEqual(["[ERROR] 'mode' must be set."]);
    expect(findings[0]?.source).toMatch(/opentelemetry-collector-0\.170\.0 .*templates\/NOTES\.txt$/);
  });

  it('the collector without the health_check extension fails', () => {
    const findings = checkHelmReleases([
      planted(release('prod', 'otel-collector'), { config: { service: { extensions: [] } } }),
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('requires that the health_check extension'),
    ]);
  });

  it('the collector without an image repository fails (the chart has no default)', () => {
    const findings = checkHelmReleases([
      planted(release('staging', 'otel-collector'), { image: { repository: '' } }),
    ]);
    expect(findings.map((f) => f.message)).toContain("[ERROR] 'image.repository' must be set.");
  });

  it("an unknown gateway value fails the chart's values.schema.json (additionalProperties: false)", () => {
    const findings = checkHelmReleases([planted(release('prod', 'istio-ingress'), { replicas: 2 })]);
    expect(findings).toEqual([
      expect.objectContaining({
        path: 'values',
        message: "additional property 'replicas' not allowed",
        source: expect.stringMatching(/manifests\/charts\/gateway\/values\.schema\.json$/),
      }),
    ]);
  });

  it("a value of the wrong type fails Vault's schema (draft-07)", () => {
    const findings = checkHelmReleases([
      planted(release('local', 'vault'), { server: { dev: { enabled: 'yes' } } }),
    ]);
    expect(findings).toEqual([
      expect.objectContaining({ path: 'values.server.dev.enabled', message: 'must be boolean' }),
    ]);
  });

  it('an unknown Istio profile fails the chart’s zzz_profile.yaml', () => {
    const findings = checkHelmReleases([planted(release('dev', 'istiod'), { profile: 'minimal-ish' })]);
    expect(findings.map((f) => f.message)).toEqual(['unknown profile minimal-ish']);
  });

  it('a chart version without a stored fixture is reported, so a pin bump refreshes the fixture', () => {
    const bumped = {
      ...release('dev', 'cnpg'),
      inputs: { ...release('dev', 'cnpg').inputs, version: '0.30.0' },
    };
    expect(checkHelmReleases([bumped])).toEqual([
      expect.objectContaining({ path: 'chart', message: expect.stringContaining('cloudnative-pg@0.30.0') }),
    ]);
  });
});

describe("Helm's value coalescing", () => {
  it('merges maps, replaces lists and scalars, and deletes a default the user sets to null', () => {
    const merged = coalesceValues(
      { a: { b: 1, c: 2 }, list: [1, 2], gone: { x: 1 } },
      { a: { c: 3 }, list: [3], gone: null },
    );
    expect(merged).toEqual({ a: { b: 1, c: 3 }, list: [3] });
  });
});

describe('the ingress gateway on kind', () => {
  it('local reaches it the way the kind cluster allows (ClusterIP by port-forward, or mapped node ports)', () => {
    expect(checkGatewayOnKind(resources.local, readKindModule())).toEqual([]);
  });

  it('a NodePort gateway whose ports kind does not map is unreachable from the host', () => {
    const gateway = release('local', 'istio-ingress');
    const nodePort = planted(gateway, {
      service: {
        type: 'NodePort',
        ports: [
          { name: 'http2', port: 80, targetPort: 80, nodePort: 30080 },
          { name: 'https', port: 443, targetPort: 443 },
        ],
      },
    });
    const tf = 'node {\n  extra_port_mappings {\n    container_port = 30080\n    host_port = 8080\n  }\n}';
    expect(kindMappedNodePorts(tf)).toEqual([30080]);
    expect(checkGatewayOnKind([nodePort], tf).map((f) => f.path)).toEqual([
      'values.service.ports[https].nodePort',
    ]);
    expect(checkHelmReleases([nodePort], clusterCapabilities('local')).map((f) => f.path)).toEqual([
      'values.service.ports[http2].nodePort',
      'values.service.ports[https].nodePort',
    ]);
    expect(checkGatewayOnKind([nodePort], readKindModule()).map((f) => f.message)).toEqual([
      "node port 30080 is not in the kind cluster's extra_port_mappings (mapped: none)",
      'a NodePort left for Kubernetes to pick cannot be mapped to the host by the kind cluster',
    ]);
  });
});
