import { meshSidecar, type SynthesizedEnvironment } from '@platform/charts';
import { type Stage, service, vault as vaultNames } from '@platform/charts/contract';
import { environments } from '@platform/charts/environments';
import * as pulumi from '@pulumi/pulumi';
import { ServiceApp } from './app/service-app.js';
import { meshNamespace } from './cluster/mesh-namespace.js';
import type { StageConfig } from './config/index.js';
import { ArgoRollouts } from './mesh/argo-rollouts.js';
import { Istio } from './mesh/istio.js';
import { CnpgOperator } from './postgres/cnpg-operator.js';
import { ConnectionPooler } from './postgres/connection-pooler.js';
import { PostgresCluster } from './postgres/postgres-cluster.js';
import { Redis } from './redis/redis.js';
import { OtelCollector } from './telemetry/otel-collector.js';
import { Vault } from './vault/vault.js';

/** The service's objects for a stage and image reference (charts/ synthesizes them). */
export type ServiceManifestSource = (stage: Stage, image: string) => SynthesizedEnvironment;

export interface PlatformOptions {
  manifests: ServiceManifestSource;
  /** Applied to every resource of the platform (tests record what is registered with them). */
  transformations?: pulumi.ResourceTransformation[];
}

export interface PlatformOutputs {
  otlpEndpoint: pulumi.Output<string>;
  vaultAddress: pulumi.Output<string>;
  /** Where the service's DATABASE_URL (pooled) and DATABASE_DIRECT_URL (migrations) must point. */
  databasePooledHost: pulumi.Output<string>;
  databaseDirectHost: pulumi.Output<string>;
  redisHost: pulumi.Output<string>;
  ingressHosts: string[];
}

/** One stage of the platform, composed from its components in dependency order. */
export class Platform extends pulumi.ComponentResource {
  readonly outputs: PlatformOutputs;

  constructor(config: StageConfig, manifests: ServiceManifestSource, opts?: pulumi.ComponentResourceOptions) {
    // One fixed name for every stage: the stack already says which stage it is.
    super('platform:index:Platform', 'platform', {}, opts);
    const child = { parent: this };

    const istio = new Istio(
      'istio',
      // The sidecars' span destination is the one the service's NetworkPolicy egress is derived from.
      { config: config.mesh, tracing: meshSidecar.tracing },
      child,
    );
    // The canary engine, where the stage's chart config releases by canary (its Rollout needs the CRDs).
    const rollouts = environments[config.stage].canary.enabled
      ? [new ArgoRollouts('argo-rollouts', { parent: this, dependsOn: [istio] }).ready]
      : [];
    const vault = new Vault('vault', { config: config.vault }, child);
    const telemetry = new OtelCollector(
      'otel',
      { config: config.telemetry, mesh: istio.controlPlane },
      child,
    );

    const operator = new CnpgOperator('cnpg', { backups: config.postgres.backup !== undefined }, child);
    const database = new PostgresCluster(
      'postgres',
      {
        config: config.postgres,
        vault: config.vault,
        operator: operator.ready,
        secretsOperator: vault.secretsOperator,
        vaultPath: vaultNames.kvPath(config.stage),
      },
      child,
    );
    const pooler = new ConnectionPooler(
      'pooler',
      { config: config.pooler, cluster: database.cluster, podMonitor: config.postgres.podMonitor },
      child,
    );
    const redis = new Redis(
      'redis',
      {
        config: config.redis,
        vault: config.vault,
        vaultPath: vaultNames.kvPath(config.stage),
        secretsOperator: vault.secretsOperator,
      },
      child,
    );

    const serviceNamespace = meshNamespace(service.namespace, 'enabled', {
      parent: this,
      dependsOn: [istio],
    });
    new ServiceApp(
      service.name,
      {
        manifests: manifests(config.stage, config.app.image),
        settings: {
          OTEL_EXPORTER_OTLP_ENDPOINT: telemetry.otlpHttpEndpoint,
          VAULT_ADDR: vault.address,
          VAULT_K8S_ROLE: config.vault.role,
          VAULT_K8S_MOUNT: config.vault.authMount,
          VAULT_KV_MOUNT: config.vault.kvMount,
        },
        dependsOn: [serviceNamespace, istio, ...rollouts, database, pooler, redis, telemetry],
      },
      child,
    );

    this.outputs = {
      otlpEndpoint: telemetry.otlpHttpEndpoint,
      vaultAddress: vault.address,
      databasePooledHost: pooler.host,
      databaseDirectHost: database.rwHost,
      redisHost: redis.host,
      ingressHosts: config.mesh.ingress.hosts,
    };
    this.registerOutputs(this.outputs);
  }
}

/** Declares every resource of one stage; the Pulumi entry point and the mocked tests both start here. */
export function createPlatform(config: StageConfig, options: PlatformOptions): PlatformOutputs {
  const { manifests, transformations } = options;
  return new Platform(config, manifests, transformations ? { transformations } : {}).outputs;
}
