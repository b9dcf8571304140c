import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environments } from '../src/config/environments.js';
import { parseImageReference } from '../src/config/image-reference.js';
import { Workload } from '../src/constructs/workload.js';
import { service } from '../src/contract.js';
import type { KubeObject } from '../src/synth/synth-environment.js';
import { releaseImage } from './support/fixtures.js';
import { validateObject } from './support/validators.js';

/** The background worker, when it exists, is one more instance of the API's construct. */
function apiAndWorker(): KubeObject[] {
  const env = environments.prod;
  const image = parseImageReference(releaseImage, { requireDigest: true });
  const chart = new Chart(new App(), 'workloads', { namespace: service.namespace });
  const common = { env, image, configMapName: 'config', configChecksum: 'x' };
  const http = { port: service.port, livePath: service.paths.live, readyPath: service.paths.ready };
  new Workload(chart, 'api', {
    ...common,
    component: 'api',
    name: service.name,
    command: service.commands.serve,
    http,
    exposeService: true,
  });
  new Workload(chart, 'worker', {
    ...common,
    component: 'worker',
    name: `${service.name}-worker`,
    command: ['node', 'dist/worker.js'],
    http: { ...http, port: 3001 },
    exposeService: false,
  });
  return chart.toJson() as KubeObject[];
}

describe('Workload construct', () => {
  const objects = apiAndWorker();
  const of = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const selector = (o: KubeObject | undefined) =>
    (o?.spec as { selector?: { matchLabels?: object } } | undefined)?.selector;

  it('gives a second process its own Deployment, PDB and autoscaler, valid against the schemas', () => {
    for (const kind of ['Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']) {
      expect(of(kind, `${service.name}-worker`), kind).toBeDefined();
    }
    for (const o of objects) expect(() => validateObject(o), `${o.kind}/${o.metadata.name}`).not.toThrow();
  });

  it('exposes no Service for a process that serves only its probes', () => {
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual([service.name]);
  });

  it('keeps the selectors apart, so a PDB or a Service never counts the other process’s pods', () => {
    const api = selector(of('Deployment', service.name));
    const worker = selector(of('Deployment', `${service.name}-worker`));
    expect(api).not.toEqual(worker);
    expect(selector(of('PodDisruptionBudget', `${service.name}-worker`))).toEqual(worker);
  });
});
