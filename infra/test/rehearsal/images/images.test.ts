import { type Stage, stages } from '@platform/charts/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisImages } from '../../../src/redis/redis-images.js';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/index.js';
import { formatFindings } from '../findings.js';
import { helmReleaseType } from '../helm/check-helm-releases.js';
import { checkImages, imageUses } from './check-images.js';
import { parseImage } from './image-reference.js';
import { builtLocallyIn } from './skaffold-images.js';

const resources = {} as Record<Stage, RegisteredResource[]>;

beforeAll(async () => {
  for (const stage of stages) resources[stage] = (await mockPlatform(stage)).resources;
}, 120_000);

describe.each(stages)('images of %s', (stage) => {
  it('come from maintained sources and are pinned', () => {
    expect(formatFindings(checkImages(resources[stage]))).toBe('');
  });

  it("include every chart's default images and the platform's own objects", () => {
    const images = imageUses(resources[stage]).map((u) => u.image);
    expect(images).toContain('docker.io/istio/proxyv2:1.30.3');
    expect(images).toContain('ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0');
    expect(images).toContain('otel/opentelemetry-collector-k8s:0.158.0');
    expect(images).toContain(redisImages.valkey);
    expect(images).toContain('ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie');
    expect(images).toContain('ghcr.io/cloudnative-pg/pgbouncer:1.25.1');
    expect(images.includes(redisImages.haproxy)).toBe(stage === 'staging' || stage === 'prod');
  });
});

function release(stage: Stage, name: string): RegisteredResource {
  const found = resources[stage].find((r) => r.type === helmReleaseType && r.name === name);
  if (!found) throw new Error(`${stage} has no release ${name}`);
  return found;
}

const bitnamiRedis: RegisteredResource = {
  type: helmReleaseType,
  name: 'redis',
  urn: 'urn:pulumi:staging::platform::kubernetes:helm.sh/v3:Release::redis',
  dependsOn: [],
  inputs: {
    chart: 'oci://registry-1.docker.io/bitnamicharts/redis',
    version: '23.1.1',
    name: 'redis',
    namespace: 'redis',
    values: { architecture: 'replication', sentinel: { enabled: true } },
  },
};

describe('a planted defect fails', () => {
  it("the Bitnami Redis chart's default images are in the retired docker.io/bitnami", () => {
    const findings = checkImages([bitnamiRedis]);
    expect(findings.map((f) => `${f.path} ${f.message.split(':')[0]}:${f.message.split(':')[1]}`)).toEqual([
      'values.image docker.io/bitnami/redis:8.2.1-debian-12-r0',
      'values.sentinel.image docker.io/bitnami/redis-sentinel:8.2.1-debian-12-r0',
    ]);
    expect(findings[0]?.message).toContain('https://github.com/bitnami/containers/issues/83267');
  });

  it('a bitnamilegacy image in a workload is frozen, even when pinned', () => {
    const [statefulSet] = resources.prod.filter((r) => r.type === 'kubernetes:apps/v1:StatefulSet');
    if (!statefulSet) throw new Error('prod registers no StatefulSet');
    const legacy = JSON.parse(
      JSON.stringify(statefulSet).replace(redisImages.valkey, 'bitnamilegacy/redis:7.4.2-debian-12-r0'),
    ) as RegisteredResource;
    const findings = checkImages([legacy]);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.message.includes('bitnamilegacy is a frozen copy'))).toBe(true);
  });

  it('a :latest chart image override is not pinned', () => {
    const collector = release('dev', 'otel-collector');
    const latest = {
      ...collector,
      inputs: {
        ...collector.inputs,
        values: {
          ...(collector.inputs.values as object),
          image: { repository: 'otel/opentelemetry-collector-k8s', tag: 'latest' },
        },
      },
    };
    expect(checkImages([latest])).toEqual([
      expect.objectContaining({ path: 'values.image', message: expect.stringContaining('not pinned') }),
    ]);
  });

  it('an image without tag or digest in a service container is not pinned', () => {
    const group = resources.dev.find(
      (r) =>
        r.type === 'kubernetes:yaml/v2:ConfigGroup' &&
        JSON.stringify(r.inputs).includes('platform-api@sha256:'),
    );
    if (!group) throw new Error('dev registers no ConfigGroup with the service image');
    const untagged = JSON.parse(
      JSON.stringify(group).replace(
        /ghcr\.io\/platform-org\/platform-api@sha256:[0-9a-f]{64}/g,
        'ghcr.io/platform-org/platform-api',
      ),
    ) as RegisteredResource;
    const findings = checkImages([untagged]);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]?.message).toMatch(/^ghcr\.io\/platform-org\/platform-api: not pinned/);
  });

  it('the local tag Skaffold replaces is accepted only for the images Skaffold builds', () => {
    expect(builtLocallyIn('local')).toEqual(['platform-api']);
    expect(builtLocallyIn('prod')).toEqual([]);
    const unbuilt = checkImages(resources.local, { builtLocally: [] });
    expect(unbuilt.some((f) => f.message.startsWith('platform-api:dev: not pinned'))).toBe(true);
  });
});

describe('image references', () => {
  it('normalize the way the container runtime resolves them', () => {
    expect(parseImage('redis')).toMatchObject({ registry: 'docker.io', repository: 'library/redis' });
    expect(parseImage('bitnami/redis:8.2.1')).toMatchObject({
      registry: 'docker.io',
      repository: 'bitnami/redis',
      tag: '8.2.1',
    });
    expect(parseImage('localhost:5000/app:1.0')).toMatchObject({
      registry: 'localhost:5000',
      repository: 'app',
      tag: '1.0',
    });
    expect(parseImage(`ghcr.io/a/b@sha256:${'a'.repeat(64)}`)).toMatchObject({
      registry: 'ghcr.io',
      repository: 'a/b',
    });
  });
});
