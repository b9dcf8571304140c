import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { environments } from '../src/config/environments.js';
import { configMapName } from '../src/constructs/app-config-map.js';
import { workerMetricsService } from '../src/constructs/monitoring.js';
import { service } from '../src/contract.js';
import type { KubeObject } from '../src/synth/synth-environment.js';
import { all, only, synthesized } from './support/fixtures.js';
import { repoRoot } from './support/repo.js';

const as = <T>(o: KubeObject) => o as unknown as T;

/** Whether a label selector (matchLabels only, as the chart writes them) picks pods with these labels. */
function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}

describe.each(synthesized.map((r) => [r.env, r] as const))('%s worker', (env, result) => {
  const config = environments[env];
  const deployment = as<IDeployment>(only(result, 'Deployment', service.worker.name));
  const pod = deployment.spec!.template.spec!;
  const podLabels = deployment.spec!.template.metadata!.labels!;
  const worker = pod.containers.find((c) => c.name === 'worker')!;
  const settings = as<IConfigMap>(only(result, 'ConfigMap', configMapName)).data!;

  it('runs the worker entry point of the same image, in watch mode only where sources are synced', () => {
    const api = as<IDeployment>(only(result, 'Deployment', service.name)).spec!.template.spec!.containers[0]!;
    expect(worker.image).toBe(api.image);
    expect(worker.command).toEqual([
      ...(config.devLoop.syncSources ? service.commands.devWorker : service.commands.worker),
    ]);
  });

  it('probes its own port, the one WORKER_PORT in its ConfigMap makes it listen on, at the health routes', () => {
    expect(settings.WORKER_PORT).toBe(String(service.worker.port));
    expect(worker.envFrom?.map((e) => e.configMapRef?.name)).toEqual([
      only(result, 'ConfigMap', configMapName).metadata.name,
    ]);
    expect(worker.startupProbe?.httpGet?.path).toBe(service.paths.live);
    expect(worker.livenessProbe?.httpGet?.path).toBe(service.paths.live);
    expect(worker.readinessProbe?.httpGet?.path).toBe(service.paths.ready);
    for (const probe of [worker.startupProbe, worker.livenessProbe, worker.readinessProbe]) {
      const port = probe?.httpGet?.port;
      const declared = worker.ports?.find((p) => p.name === port || p.containerPort === port);
      expect(declared?.containerPort).toBe(service.worker.port);
    }
  });

  it('waits longer than the job lock for active jobs to finish, without a preStop pause', () => {
    const lockSeconds = Number(settings.WORKER_LOCK_DURATION_MS) / 1000;
    expect(lockSeconds).toBe(config.worker.lockDurationMs / 1000);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(lockSeconds);
    expect(worker.lifecycle?.preStop).toBeUndefined();
  });

  it('reports its telemetry under its own service name', () => {
    expect(worker.env).toContainEqual({ name: 'OTEL_SERVICE_NAME', value: service.worker.name });
  });

  it('runs the replicas and resources its environment data sets, with a PDB and no autoscaler', () => {
    expect(deployment.spec?.replicas).toBe(config.worker.replicas);
    expect(worker.resources?.requests).toEqual(config.worker.resources.requests);
    expect(worker.resources?.limits).toEqual(config.worker.resources.limits);
    const budgets = all(result, 'PodDisruptionBudget')
      .map((o) => as<IPodDisruptionBudget>(o))
      .filter((b) => selects(b.spec?.selector?.matchLabels, podLabels));
    expect(budgets.map((b) => b.metadata?.name)).toEqual([service.worker.name]);
    const targets = all(result, 'HorizontalPodAutoscaler').map(
      (o) => (o.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name,
    );
    expect(targets).not.toContain(service.worker.name);
  });

  it('is reached only by its headless metrics Service, which no route or mesh destination names', () => {
    const reaching = all(result, 'Service').filter((svc) =>
      selects((svc.spec as { selector?: Record<string, string> }).selector, podLabels),
    );
    expect(reaching.map((svc) => svc.metadata.name)).toEqual(
      config.monitoring.enabled ? [workerMetricsService] : [],
    );
    for (const svc of reaching) expect((svc.spec as { clusterIP?: string }).clusterIP).toBe('None');
    const routed = JSON.stringify([...all(result, 'VirtualService'), ...all(result, 'DestinationRule')]);
    expect(routed).not.toContain(workerMetricsService);
  });
});

describe('production worker', () => {
  const prod = synthesized.find((r) => r.env === 'prod')!;

  it('keeps at least two replicas and allows one voluntary disruption', () => {
    expect(
      as<IDeployment>(only(prod, 'Deployment', service.worker.name)).spec?.replicas,
    ).toBeGreaterThanOrEqual(2);
    const pdb = as<IPodDisruptionBudget>(only(prod, 'PodDisruptionBudget', service.worker.name));
    expect(pdb.spec?.maxUnavailable).toBe(1);
  });
});

describe('worker commands', () => {
  it("start the app's worker entry point, compiled or from source", () => {
    const app = join(repoRoot, 'app');
    const source = service.commands.devWorker.at(-1)!;
    expect(existsSync(join(app, source)), source).toBe(true);
    // app/tsconfig.build.json compiles src/ into dist/ with the same relative paths.
    expect(service.commands.worker.at(-1)).toBe(source.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'));
    const scripts = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.worker).toContain(source);
  });
});
