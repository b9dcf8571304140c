import type { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../app/src/observability/metrics.js';
import { createWorkerMetrics } from '../../app/src/observability/worker-metrics.js';
import { type ExposedMetric, exposedMetrics } from '../src/dashboards/exposed-metrics.js';
import { defaultSloObjectives } from '../src/dashboards/slo-queries.js';

/** The metrics as the API and the worker really register them. */
function realRegistries() {
  const api = createMetrics({ processMetrics: false });
  const worker = createMetrics({ processMetrics: false });
  createWorkerMetrics(worker.registry);
  return { app: api.registry, worker: worker.registry } as const;
}

/** What the catalogue says about a process's metrics that the process's registry does not bear out. */
async function catalogueMismatches(
  catalogue: Readonly<Record<string, ExposedMetric>>,
  registries: Readonly<Record<'app' | 'worker', Registry>>,
): Promise<string[]> {
  const mismatches: string[] = [];
  for (const [name, entry] of Object.entries(catalogue)) {
    if (entry.exporter !== 'app' && entry.exporter !== 'worker') continue;
    const metric = registries[entry.exporter].getSingleMetric(name);
    if (!metric) {
      mismatches.push(`${entry.exporter} registers no ${name}`);
      continue;
    }
    const { type } = await metric.get();
    if (String(type) !== entry.type) mismatches.push(`${name} is a ${type}, not a ${entry.type}`);
    const labels = [...((metric as unknown as { labelNames: string[] }).labelNames ?? [])].sort();
    if (labels.join() !== [...entry.labels].sort().join()) {
      mismatches.push(`${name} has labels [${labels}], not [${[...entry.labels].sort()}]`);
    }
  }
  return mismatches;
}

describe('the metric catalogue against the processes’ registries', () => {
  const registries = realRegistries();

  it('every app and worker metric a dashboard may name is registered with that type and those labels', async () => {
    expect(await catalogueMismatches(exposedMetrics, registries)).toEqual([]);
  });

  it('refuses a planted wrong label, wrong type and missing metric', async () => {
    const planted: Record<string, ExposedMetric> = {
      ...exposedMetrics,
      cache_lookups_total: { ...exposedMetrics.cache_lookups_total, labels: ['cache', 'outcome'] },
      worker_queue_jobs: { ...exposedMetrics.worker_queue_jobs, type: 'counter' },
      worker_jobs_failed_total: { type: 'counter', labels: [], exporter: 'worker', source: 'nowhere' },
    };
    expect(await catalogueMismatches(planted, registries)).toEqual([
      'cache_lookups_total has labels [cache,result], not [cache,outcome]',
      'worker_queue_jobs is a gauge, not a counter',
      'worker registers no worker_jobs_failed_total',
    ]);
  });

  it('the latency objective’s threshold is a bucket boundary of the request histogram', () => {
    const histogram = registries.app.getSingleMetric('http_server_request_duration_seconds') as Histogram;
    const bounds = (histogram as unknown as { upperBounds: number[] }).upperBounds;
    expect(bounds).toContain(defaultSloObjectives.latency.thresholdSeconds);
    expect(bounds).not.toContain(0.3);
  });
});
