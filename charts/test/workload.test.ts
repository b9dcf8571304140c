import { App, Chart } from 'cdk8s';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { readTelemetrySettings } from '../../app/src/config/telemetry-settings.js';
import { environments } from '../src/config/environments.js';
import { parseImageReference } from '../src/config/image-reference.js';
import { configMapName } from '../src/constructs/app-config-map.js';
import { Workload } from '../src/constructs/workload.js';
import { service } from '../src/contract.js';
import {
  type KubeObject,
  type SynthesizedEnvironment,
  synthEnvironment,
} from '../src/synth/synth-environment.js';
import { only, releaseImage, synthesized } from './support/fixtures.js';
import { validateObject } from './support/validators.js';

/** Two instances of the construct side by side: one that scales within a range, one with a fixed count. */
function scaledAndFixed(): KubeObject[] {
  const env = environments.prod;
  const image = parseImageReference(releaseImage, { requireDigest: true });
  const chart = new Chart(new App(), 'workloads', { namespace: service.namespace });
  const common = { env, image, configMapName: 'config', configChecksum: 'x', resources: env.resources };
  const health = { livePath: service.paths.live, readyPath: service.paths.ready };
  new Workload(chart, 'api', {
    ...common,
    component: 'api',
    name: service.name,
    command: service.commands.serve,
    http: { port: service.port, ...health },
    exposeService: true,
    replicas: { min: 3, max: 10, targetCpuUtilization: 65 },
    shutdown: { preStopSeconds: 5, gracePeriodSeconds: 25 },
  });
  new Workload(chart, 'worker', {
    ...common,
    component: 'worker',
    name: service.worker.name,
    command: service.commands.worker,
    http: { port: service.worker.port, ...health },
    exposeService: false,
    replicas: 2,
    shutdown: { gracePeriodSeconds: 45 },
    environment: { OTEL_SERVICE_NAME: service.worker.name },
  });
  return chart.toJson() as KubeObject[];
}

describe('Workload construct', () => {
  const objects = scaledAndFixed();
  const of = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const selector = (o: KubeObject | undefined) =>
    (o?.spec as { selector?: { matchLabels?: object } } | undefined)?.selector;
  const deployment = (name: string) => of('Deployment', name) as unknown as IDeployment;

  it('gives a second process its own Deployment and PDB, valid against the schemas', () => {
    for (const kind of ['Deployment', 'PodDisruptionBudget']) {
      expect(of(kind, service.worker.name), kind).toBeDefined();
    }
    for (const o of objects) expect(() => validateObject(o), `${o.kind}/${o.metadata.name}`).not.toThrow();
  });

  it('autoscales a replica range and leaves the count to the autoscaler; pins a fixed count without one', () => {
    const autoscalers = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(autoscalers.map((o) => o.metadata.name)).toEqual([service.name]);
    expect(deployment(service.name).spec?.replicas).toBeUndefined();
    expect(deployment(service.worker.name).spec?.replicas).toBe(2);
  });

  it('exposes no Service for a process that serves only its probes', () => {
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual([service.name]);
  });

  it('keeps the selectors apart, so a PDB or a Service never counts the other process’s pods', () => {
    const api = selector(of('Deployment', service.name));
    const worker = selector(of('Deployment', service.worker.name));
    expect(api).not.toEqual(worker);
    expect(selector(of('PodDisruptionBudget', service.worker.name))).toEqual(worker);
  });

  it('pauses before SIGTERM only when the shutdown budget asks for it, and adds per-process variables', () => {
    const api = deployment(service.name).spec!.template.spec!;
    const worker = deployment(service.worker.name).spec!.template.spec!;
    expect(api.containers[0]?.lifecycle?.preStop?.sleep?.seconds).toBe(5);
    expect(worker.containers[0]?.lifecycle).toBeUndefined();
    expect(api.terminationGracePeriodSeconds).toBe(25);
    expect(worker.terminationGracePeriodSeconds).toBe(45);
    expect(worker.containers[0]?.env).toContainEqual({
      name: 'OTEL_SERVICE_NAME',
      value: service.worker.name,
    });
    expect(api.containers[0]?.env?.map((e) => e.name)).not.toContain('OTEL_SERVICE_NAME');
  });
});

describe('APP_VERSION', () => {
  const podEnvironment = (result: SynthesizedEnvironment, name: string): Record<string, string> => {
    const container = (only(result, 'Deployment', name) as unknown as IDeployment).spec!.template.spec!
      .containers[0]!;
    const config = (only(result, 'ConfigMap', configMapName) as unknown as IConfigMap).data ?? {};
    const literal = (container.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]]));
    return { ...config, ...Object.fromEntries(literal) };
  };

  it.each(synthesized.map((r) => [r.env, r] as const))(
    '%s: the API and the worker report the version of the image they run, as the app reads it',
    (_env, result) => {
      const image = parseImageReference(result.image, { requireDigest: false });
      for (const name of [service.name, service.worker.name]) {
        const settings = readTelemetrySettings(podEnvironment(result, name));
        if ('problems' in settings) throw new Error(settings.problems.join('; '));
        expect(settings.serviceVersion, name).toBe(image.tag ?? image.digest);
        expect(settings.serviceVersion, name).not.toBe('0.0.0-dev');
      }
    },
  );

  it('is the tag of a tagged reference (Skaffold, a local build) and the digest of a digest-only one', () => {
    const tagged = synthEnvironment('local', { image: 'platform-api:4f2a9c1' });
    expect(readTelemetrySettings(podEnvironment(tagged, service.name))).toMatchObject({
      serviceVersion: '4f2a9c1',
    });
    const digest = `sha256:${'3f'.repeat(32)}`;
    const released = synthEnvironment('prod', { image: `ghcr.io/platform-org/platform-api@${digest}` });
    expect(readTelemetrySettings(podEnvironment(released, service.name))).toMatchObject({
      serviceVersion: digest,
    });
  });
});
