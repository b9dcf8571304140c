import { environments, synthEnvironment } from '@platform/charts';
import { mesh, otel, postgres, redis, type Stage, service, stages, vault } from '@platform/charts/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { type MockedPlatform, mockPlatform, type RegisteredResource } from '../src/testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: registered inputs are arbitrary JSON; the assertions are the check.
type Json = any;

const platforms = {} as Record<Stage, MockedPlatform>;

beforeAll(async () => {
  // Mocks are process-wide, so the stages run one after another.
  for (const stage of stages) platforms[stage] = await mockPlatform(stage);
}, 60_000);

function all(stage: Stage, type: string): RegisteredResource[] {
  return platforms[stage].resources.filter((r) => r.type === type);
}

function one(stage: Stage, type: string, name: string): RegisteredResource {
  const found = platforms[stage].resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`${stage} registered no ${type} named ${name}`);
  return found;
}

const release = (stage: Stage, name: string) => one(stage, 'kubernetes:helm.sh/v3:Release', name);
const spec = (r: RegisteredResource) => r.inputs.spec as Record<string, Json>;
const values = (r: RegisteredResource) => r.inputs.values as Record<string, Json>;

/** Everything `key` waits for, directly or through its dependencies (components stand for their children). */
function upstream(stage: Stage, key: string, seen = new Set<string>()): Set<string> {
  const byKey = new Map(platforms[stage].resources.map((r) => [`${r.type}::${r.name}`, r]));
  const childrenOf = (parent: string) =>
    platforms[stage].resources.filter((r) => r.parent === parent).map((r) => `${r.type}::${r.name}`);
  for (const dep of byKey.get(key)?.dependsOn ?? []) {
    for (const reached of [dep, ...childrenOf(dep)]) {
      if (seen.has(reached)) continue;
      seen.add(reached);
      upstream(stage, reached, seen);
    }
  }
  return seen;
}

describe.each(stages)('platform for %s', (stage) => {
  it('pins every Helm chart to a version and a repository', () => {
    const releases = all(stage, 'kubernetes:helm.sh/v3:Release');
    expect(releases.length).toBeGreaterThanOrEqual(6);
    for (const r of releases) {
      expect(r.inputs.version, r.name).toMatch(/^\d+\.\d+\.\d+$/);
      const repo = (r.inputs.repositoryOpts as { repo?: string } | undefined)?.repo;
      const fromRepo = repo?.startsWith('https://') ?? false;
      const fromOci = String(r.inputs.chart).startsWith('oci://');
      expect(fromRepo || fromOci, `${r.name} names its repository`).toBe(true);
    }
  });

  it('states mesh membership on every namespace it creates', () => {
    const namespaces = all(stage, 'kubernetes:core/v1:Namespace');
    const membership = Object.fromEntries(
      namespaces.map((n) => [n.name, (n.inputs.metadata as Json).labels['istio-injection']]),
    );
    expect(membership).toMatchObject({
      [service.namespace]: 'enabled',
      [otel.namespace]: 'enabled',
      [mesh.ingressNamespace]: 'enabled',
      [postgres.namespace]: 'disabled',
      [redis.namespace]: 'disabled',
    });
    for (const value of Object.values(membership)) expect(['enabled', 'disabled']).toContain(value);
  });

  it('runs the Pooler in front of the primary in transaction mode with the stage sizes', () => {
    const { config } = platforms[stage];
    const cluster = spec(one(stage, 'kubernetes:postgresql.cnpg.io/v1:Cluster', postgres.cluster));
    const pooler = spec(one(stage, 'kubernetes:postgresql.cnpg.io/v1:Pooler', postgres.pooler));
    expect(cluster.instances).toBe(config.postgres.instances);
    expect(cluster.bootstrap.initdb).toEqual({
      database: postgres.database,
      owner: postgres.owner,
      secret: { name: 'platform-db-app-credentials' },
    });
    // The service logs in as a role apart from the owner (security finding 5), its password synced from Vault.
    expect(cluster.managed.roles).toEqual([
      expect.objectContaining({
        name: postgres.runtimeRole,
        ensure: 'present',
        login: true,
        passwordSecret: { name: 'platform-db-runtime-credentials' },
      }),
    ]);
    expect(
      spec(
        one(
          stage,
          'kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret',
          'platform-db-runtime-credentials',
        ),
      ).destination,
    ).toMatchObject({ type: 'kubernetes.io/basic-auth', labels: { 'cnpg.io/reload': 'true' } });
    expect(pooler).toMatchObject({
      cluster: { name: postgres.cluster },
      instances: config.pooler.instances,
      type: 'rw',
      pgbouncer: { poolMode: 'transaction', parameters: config.pooler.parameters },
    });
  });

  it('orders operators before their custom resources, and the app after its dependencies', () => {
    const cluster = 'kubernetes:postgresql.cnpg.io/v1:Cluster::platform-db';
    expect(upstream(stage, cluster)).toContain('kubernetes:helm.sh/v3:Release::cnpg');
    expect(upstream(stage, 'kubernetes:postgresql.cnpg.io/v1:Pooler::platform-db-pooler')).toContain(cluster);
    expect(upstream(stage, 'kubernetes:helm.sh/v3:Release::istiod')).toContain(
      'kubernetes:helm.sh/v3:Release::istio-base',
    );
    expect(upstream(stage, 'kubernetes:networking.istio.io/v1:Gateway::platform-gateway')).toContain(
      'kubernetes:helm.sh/v3:Release::istio-ingress',
    );
    expect(upstream(stage, `kubernetes:apps/v1:StatefulSet::${redis.release}`)).toContain(
      'kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret::redis-password',
    );
    const migration = upstream(stage, 'kubernetes:yaml/v2:ConfigGroup::platform-api-migration');
    for (const dependency of [
      cluster,
      'kubernetes:postgresql.cnpg.io/v1:Pooler::platform-db-pooler',
      `kubernetes:apps/v1:StatefulSet::${redis.release}`,
      `kubernetes:core/v1:Service::${redis.service}`,
      'kubernetes:helm.sh/v3:Release::otel-collector',
      'kubernetes:helm.sh/v3:Release::istiod',
      'kubernetes:yaml/v2:ConfigGroup::platform-api-foundation',
    ]) {
      expect(migration, dependency).toContain(dependency);
    }
    expect(upstream(stage, 'kubernetes:yaml/v2:ConfigGroup::platform-api-workload')).toContain(
      'kubernetes:yaml/v2:ConfigGroup::platform-api-migration',
    );
  });

  it('deploys the chart synthesized for this stage with the stack image, migration Job alone', () => {
    const { config } = platforms[stage];
    const group = (name: string) =>
      one(stage, 'kubernetes:yaml/v2:ConfigGroup', `${service.name}-${name}`).inputs.objs as Json[];
    expect(group('migration').map((o) => o.kind)).toEqual(['Job']);
    const images = [...group('migration'), ...group('workload')]
      .filter((o) => o.kind === 'Job' || o.kind === 'Deployment')
      .flatMap((o) => o.spec.template.spec.containers.map((c: { image: string }) => c.image));
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(image).toBe(config.app.image);
    expect(group('foundation')).toEqual(
      JSON.parse(JSON.stringify(synthEnvironment(stage, { image: config.app.image }).groups[0]?.objects)),
    );
  });

  it("wires the app's telemetry and Vault settings from the platform components", () => {
    const { outputs, config } = platforms[stage];
    const foundation = one(stage, 'kubernetes:yaml/v2:ConfigGroup', `${service.name}-foundation`).inputs
      .objs as Json[];
    const data = foundation.find((o) => o.kind === 'ConfigMap').data;
    expect(data.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(outputs.otlpEndpoint);
    expect(data.VAULT_ADDR).toBe(outputs.vaultAddress);
    expect(data.VAULT_K8S_ROLE).toBe(config.vault.role);
    expect(outputs.otlpEndpoint).toBe(
      `http://${otel.service}.${otel.namespace}.svc.cluster.local:${otel.otlpHttpPort}`,
    );
    expect(outputs.databasePooledHost).toBe(`${postgres.pooler}.${postgres.namespace}.svc.cluster.local`);
    expect(outputs.databaseDirectHost).toBe(`${postgres.rwService}.${postgres.namespace}.svc.cluster.local`);
    expect(outputs.redisHost).toBe(`${redis.service}.${redis.namespace}.svc.cluster.local`);
  });

  it('agrees with the chart on the mesh: mTLS mode, hosts and the Gateway it binds to', () => {
    const { config } = platforms[stage];
    const env = environments[stage];
    expect(config.mesh.mtls).toBe(env.mesh.mtls);
    expect(config.mesh.ingress.hosts).toEqual(env.mesh.hosts);
    const gateway = one(stage, 'kubernetes:networking.istio.io/v1:Gateway', 'platform-gateway');
    const { name, namespace } = gateway.inputs.metadata as { name: string; namespace: string };
    expect(`${namespace}/${name}`).toBe(mesh.gateway);
    const hosts = spec(gateway).servers.flatMap((s: { hosts: string[] }) => s.hosts);
    for (const host of env.mesh.hosts) expect(hosts).toContain(host);
  });

  it('creates PodMonitors exactly where the chart expects the Prometheus Operator', () => {
    const monitors = all(stage, 'kubernetes:monitoring.coreos.com/v1:PodMonitor');
    expect(monitors.length).toBe(environments[stage].monitoring.enabled ? 2 : 0);
  });

  it('copies only the Redis password from the service KV path into the Redis namespace', () => {
    const sync = spec(
      one(stage, 'kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret', 'redis-password'),
    );
    expect(sync).toMatchObject({ type: 'kv-v2', mount: vault.kvMount, path: vault.kvPath(stage) });
    expect(sync.destination.transformation).toEqual({ excludeRaw: true, includes: ['^REDIS_PASSWORD$'] });
    const nodes = spec(one(stage, 'kubernetes:apps/v1:StatefulSet', redis.release));
    const env = nodes.template.spec.containers[0].env as Json[];
    expect(env.find((e) => e.name === 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual({
      name: sync.destination.name,
      key: 'REDIS_PASSWORD',
    });
  });
});

describe('differences between stages', () => {
  it('uses a PERMISSIVE mesh in local only, STRICT everywhere else', () => {
    const modes = stages.map(
      (stage) =>
        spec(one(stage, 'kubernetes:security.istio.io/v1:PeerAuthentication', 'mesh-mtls')).mtls.mode,
    );
    expect(modes).toEqual(['PERMISSIVE', 'STRICT', 'STRICT', 'STRICT']);
    const meshWide = one('prod', 'kubernetes:security.istio.io/v1:PeerAuthentication', 'mesh-mtls');
    expect(meshWide.inputs.metadata).toEqual({ name: 'default', namespace: mesh.istioNamespace });
  });

  it('grows Postgres and PgBouncer from one instance to three, with hard anti-affinity in prod', () => {
    const sizes = stages.map((stage) => [
      spec(one(stage, 'kubernetes:postgresql.cnpg.io/v1:Cluster', postgres.cluster)).instances,
      spec(one(stage, 'kubernetes:postgresql.cnpg.io/v1:Pooler', postgres.pooler)).instances,
    ]);
    expect(sizes).toEqual([
      [1, 1],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(spec(one('prod', 'kubernetes:postgresql.cnpg.io/v1:Cluster', postgres.cluster)).affinity).toEqual({
      enablePodAntiAffinity: true,
      podAntiAffinityType: 'required',
      topologyKey: 'kubernetes.io/hostname',
    });
    expect(spec(one('local', 'kubernetes:postgresql.cnpg.io/v1:Cluster', postgres.cluster)).affinity).toEqual(
      {
        enablePodAntiAffinity: false,
      },
    );
  });

  it('backs up staging and prod only, through the Barman Cloud plugin', () => {
    const withBackups = stages.filter(
      (stage) => all(stage, 'kubernetes:postgresql.cnpg.io/v1:ScheduledBackup').length,
    );
    expect(withBackups).toEqual(['staging', 'prod']);
    for (const stage of stages) {
      const expected = withBackups.includes(stage) ? 1 : 0;
      expect(all(stage, 'kubernetes:barmancloud.cnpg.io/v1:ObjectStore'), stage).toHaveLength(expected);
      expect(
        all(stage, 'kubernetes:helm.sh/v3:Release').filter((r) => r.name === 'barman-cloud'),
        stage,
      ).toHaveLength(expected);
      const plugins = spec(one(stage, 'kubernetes:postgresql.cnpg.io/v1:Cluster', postgres.cluster)).plugins;
      expect(plugins?.length ?? 0, stage).toBe(expected);
    }

    const prod = platforms.prod.config.postgres.backup!;
    const cluster = spec(one('prod', 'kubernetes:postgresql.cnpg.io/v1:Cluster', postgres.cluster));
    expect(cluster.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: { barmanObjectName: 'platform-db-backups', serverName: 'platform-db' },
      },
    ]);
    expect(
      spec(one('prod', 'kubernetes:postgresql.cnpg.io/v1:ScheduledBackup', 'platform-db-scheduled-backup')),
    ).toMatchObject({
      schedule: prod.schedule,
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      cluster: { name: postgres.cluster },
    });
    const store = spec(one('prod', 'kubernetes:barmancloud.cnpg.io/v1:ObjectStore', 'platform-db-backups'));
    expect(store.retentionPolicy).toBe('30d');
    expect(store.configuration.destinationPath).toBe(prod.destinationPath);
    expect(upstream('prod', 'kubernetes:postgresql.cnpg.io/v1:Cluster::platform-db')).toContain(
      'kubernetes:barmancloud.cnpg.io/v1:ObjectStore::platform-db-backups',
    );
  });

  it('runs Redis standalone in local and dev, and replicated under Sentinel in staging and prod', () => {
    const topology = stages.map((stage) => {
      const nodes = spec(one(stage, 'kubernetes:apps/v1:StatefulSet', redis.release));
      const containers = (nodes.template.spec.containers as Json[]).map((c) => c.name);
      return [nodes.replicas, containers];
    });
    expect(topology).toEqual([
      [1, ['valkey']],
      [1, ['valkey']],
      [3, ['valkey', 'sentinel']],
      [3, ['valkey', 'sentinel']],
    ]);
    const quorum = spec(one('prod', 'kubernetes:apps/v1:StatefulSet', redis.release)).template.spec
      .containers[1].env;
    expect((quorum as Json[]).find((e) => e.name === 'SENTINEL_QUORUM').value).toBe('2');
  });

  it("keeps the contract's redis-master Service on the master: the node standalone, the master proxy with Sentinel", () => {
    const selectors = stages.map(
      (stage) =>
        spec(one(stage, 'kubernetes:core/v1:Service', redis.service)).selector['app.kubernetes.io/component'],
    );
    expect(selectors).toEqual(['node', 'node', 'master-proxy', 'master-proxy']);
    for (const stage of stages) {
      expect(spec(one(stage, 'kubernetes:core/v1:Service', redis.service)).ports).toEqual([
        { name: 'redis', port: redis.port, targetPort: redis.port },
      ]);
    }
  });

  it('exports telemetry to the debug exporter in local and to the configured OTLP endpoint elsewhere', () => {
    const exporters = stages.map((stage) => values(release(stage, 'otel-collector')).config.exporters);
    expect(Object.keys(exporters[0])).toEqual(['debug']);
    for (const [index, stage] of stages.entries()) {
      if (stage === 'local') continue;
      const { exporter } = platforms[stage].config.telemetry;
      expect(exporters[index]).toEqual({
        otlp: {
          endpoint: exporter.kind === 'otlp' ? exporter.endpoint : undefined,
          tls: { insecure: false },
        },
      });
    }
    const pipelines = values(release('prod', 'otel-collector')).config.service.pipelines;
    expect(pipelines.traces).toEqual({
      receivers: ['otlp'],
      processors: ['memory_limiter', 'k8sattributes', 'batch'],
      exporters: ['otlp'],
    });
  });

  it('installs a dev-mode Vault in local only and points the other stages at their external Vault', () => {
    const devServers = stages.filter((stage) =>
      all(stage, 'kubernetes:helm.sh/v3:Release').some((r) => r.name === 'vault'),
    );
    expect(devServers).toEqual(['local']);
    expect(values(release('local', 'vault')).server.dev.enabled).toBe(true);
    expect(platforms.local.outputs.vaultAddress).toBe(
      `http://vault.${vault.namespace}.svc.cluster.local:${vault.port}`,
    );
    expect(platforms.prod.outputs.vaultAddress).toBe('https://vault.platform.example.com:8200');
    for (const stage of stages) {
      expect(values(release(stage, 'vault-secrets-operator')).defaultVaultConnection).toEqual({
        enabled: true,
        address: platforms[stage].outputs.vaultAddress,
      });
    }
  });

  it('turns on native sidecars and JSON access logs, and traces to the collector', () => {
    const istiod = values(release('prod', 'istiod'));
    expect(istiod.pilot.env.ENABLE_NATIVE_SIDECARS).toBe('true');
    expect(istiod.meshConfig.accessLogEncoding).toBe('JSON');
    expect(istiod.meshConfig.extensionProviders[0].opentelemetry).toEqual({
      service: `${otel.service}.${otel.namespace}.svc.cluster.local`,
      port: otel.otlpGrpcPort,
    });
    const sampling = stages.map(
      (stage) =>
        spec(one(stage, 'kubernetes:telemetry.istio.io/v1:Telemetry', 'mesh-tracing')).tracing[0]
          .randomSamplingPercentage,
    );
    expect(sampling).toEqual(stages.map((stage) => platforms[stage].config.mesh.tracingSamplingPercent));
  });

  it('serves HTTPS with the stage certificate outside local, plain HTTP in local', () => {
    const servers = (stage: Stage) =>
      spec(one(stage, 'kubernetes:networking.istio.io/v1:Gateway', 'platform-gateway')).servers as Json[];
    expect(servers('local').map((s) => s.port.protocol)).toEqual(['HTTP']);
    expect(servers('prod').find((s) => s.port.protocol === 'HTTPS').tls).toEqual({
      mode: 'SIMPLE',
      credentialName: 'platform-api-prod-tls',
    });
  });
});

describe('registered resources as policies see them', () => {
  it('carry the URN of their stack, parent type and name', () => {
    const cluster = one('prod', 'kubernetes:postgresql.cnpg.io/v1:Cluster', postgres.cluster);
    expect(cluster.urn).toBe(
      'urn:pulumi:prod::platform::platform:postgres:PostgresCluster$kubernetes:postgresql.cnpg.io/v1:Cluster::platform-db',
    );
    for (const stage of stages) {
      for (const r of platforms[stage].resources)
        expect(r.urn.startsWith(`urn:pulumi:${stage}::platform::`)).toBe(true);
    }
  });
});
