import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Environment } from './config/environment-schema.js';
import type { ImageReference } from './config/image-reference.js';
import { AppConfigMap, configMapName } from './constructs/app-config-map.js';
import { canaryServiceName } from './constructs/canary-names.js';
import { CanaryRelease, rolloutsApiVersion } from './constructs/canary-release.js';
import { MeshSecurity } from './constructs/mesh-security.js';
import { MeshTraffic } from './constructs/mesh-traffic.js';
import { MigrationJob } from './constructs/migration-job.js';
import { Monitoring } from './constructs/monitoring.js';
import { NetworkPolicies } from './constructs/network-policies.js';
import { AppServiceAccount } from './constructs/service-account.js';
import { Workload } from './constructs/workload.js';
import { service } from './contract.js';
import { DashboardConfigMaps } from './dashboards/dashboard-config-maps.js';
import { appSettings } from './runtime/app-settings.js';
import { apiDependencies, migrationDependencies, workerDependencies } from './runtime/dependencies.js';
import { apiShutdown, workerShutdown } from './runtime/shutdown.js';

export interface AppChartProps {
  readonly env: Environment;
  readonly image: ImageReference;
}

/** The groups of the service's objects, in the order they must be applied. */
export const manifestGroups = ['foundation', 'migration', 'workload'] as const;
export type ManifestGroup = (typeof manifestGroups)[number];

/**
 * The service's Kubernetes objects for one environment, as three charts applied in order: what the pods need
 * to exist (identity, config, network policy), the release's migration Job, then the workload itself.
 */
export class AppChart {
  readonly charts: Readonly<Record<ManifestGroup, Chart>>;

  constructor(scope: Construct, props: AppChartProps) {
    const { env, image } = props;
    const settings = appSettings(env);
    const chart = (group: ManifestGroup) =>
      new Chart(scope, `${service.name}-${group}`, { namespace: service.namespace });

    const foundation = chart('foundation');
    new AppServiceAccount(foundation, 'service-account');
    const config = new AppConfigMap(foundation, 'config', settings);
    new NetworkPolicies(foundation, 'network-policies', {
      api: apiDependencies(env, settings),
      worker: workerDependencies(env, settings),
      migration: migrationDependencies(env, settings),
    });
    new MeshSecurity(foundation, 'mesh-security', env, settings);

    const migration = chart('migration');
    new MigrationJob(migration, 'migrate', { env, image, configMapName });

    const workload = chart('workload');
    const shared = { env, image, configMapName, configChecksum: config.checksum };
    const health = { livePath: service.paths.live, readyPath: service.paths.ready };
    new Workload(workload, 'api', {
      ...shared,
      component: 'api',
      name: service.name,
      command: env.devLoop.syncSources ? service.commands.dev : service.commands.serve,
      http: { port: service.port, ...health },
      exposeService: true,
      replicas: env.replicas,
      resources: env.resources,
      shutdown: apiShutdown(env),
      ...(env.canary.enabled ? { rollout: { canaryServiceName, apiVersion: rolloutsApiVersion } } : {}),
    });
    if (env.canary.enabled) {
      const scales = env.replicas.max > env.replicas.min;
      new CanaryRelease(workload, 'canary', {
        canary: env.canary,
        deploymentName: service.name,
        stableServiceName: service.name,
        replicas: scales ? undefined : env.replicas.min,
      });
    }
    new Workload(workload, 'worker', {
      ...shared,
      component: 'worker',
      name: service.worker.name,
      command: env.devLoop.syncSources ? service.commands.devWorker : service.commands.worker,
      // The worker serves the API's health routes on its own port (WORKER_PORT, in the shared ConfigMap).
      http: { port: service.worker.port, ...health },
      exposeService: false,
      replicas: env.worker.replicas,
      resources: env.worker.resources,
      shutdown: workerShutdown(env),
      // Its traces and metrics must not be counted as the API's.
      environment: { OTEL_SERVICE_NAME: service.worker.name },
    });
    new MeshTraffic(workload, 'mesh-traffic', env);
    if (env.monitoring.enabled) {
      new Monitoring(workload, 'monitoring', env, { objectives: env.slo, scrapeWorker: true });
      // The dashboards show the burn rates against the same objectives the alerts page on.
      new DashboardConfigMaps(workload, 'dashboards', { objectives: { ...env.slo, window: '30d' } });
    }

    this.charts = { foundation, migration, workload };
  }
}
