import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environments } from '../src/config/environments.js';
import { alertGroups } from '../src/constructs/alert-rules.js';
import { Monitoring, workerMetricsService } from '../src/constructs/monitoring.js';
import {
  type AlertingRule,
  prometheusRuleSchema,
  serviceMonitorSchema,
} from '../src/constructs/prometheus-operator-schemas.js';
import { service } from '../src/contract.js';
import type { KubeObject } from '../src/synth/synth-environment.js';
import { all, only, synthesized } from './support/fixtures.js';
import { validateObject } from './support/validators.js';

const prod = synthesized.find((r) => r.env === 'prod')!;
const rules = () =>
  (only(prod, 'PrometheusRule').spec as { groups: Array<{ rules: AlertingRule[] }> }).groups.flatMap(
    (g) => g.rules,
  );
const rule = (name: string) => rules().find((r) => r.alert === name)!;
const urgencyOf = new Map(
  alertGroups(environments.prod.slo).flatMap((g) => g.alerts.map((a) => [a.alert, a.urgency] as const)),
);

describe('production alerts', () => {
  it('page as critical, and open tickets as warnings', () => {
    expect(rules().length).toBe(urgencyOf.size);
    for (const r of rules()) {
      expect(r.labels.severity, r.alert).toBe(urgencyOf.get(r.alert) === 'page' ? 'critical' : 'warning');
    }
  });

  it('name every alert once', () => {
    const names = rules().map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
  });

  it('use the thresholds of the service objectives', () => {
    expect(rule('PlatformApiHighErrorRate').expr).toMatch(/status_code=~"5\.\."[\s\S]*> 0\.05$/);
    expect(rule('PlatformApiHighLatency').expr).toMatch(/^histogram_quantile\(0\.95,[\s\S]*> 1$/);
    expect(rule('PlatformApiNotReady').expr).toContain('kube_pod_status_ready');
    expect(rule('PlatformApiMemoryNearLimit').expr).toMatch(/resource="memory"[\s\S]*> 0\.8$/);
  });

  it('count only the API pods as not ready, never the finished migration Job', () => {
    const pattern = /pod=~"([^"]+)"/.exec(rule('PlatformApiNotReady').expr)![1]!;
    const anchored = new RegExp(`^(?:${pattern})$`);
    const apiPod = `${service.name}-5d8f7c9b4-x2k9q`;
    const jobPod = `${only(prod, 'Job').metadata.name}-7kq2p`;
    expect(anchored.test(apiPod)).toBe(true);
    expect(anchored.test(jobPod)).toBe(false);
    expect(anchored.test(`${service.name}-worker-5d8f7c9b4-x2k9q`)).toBe(false);
  });

  it('select the series of the containers and service the chart deploys', () => {
    const containerOf = (name: string) =>
      (
        only(prod, 'Deployment', name).spec as {
          template: { spec: { containers: Array<{ name: string }> } };
        }
      ).template.spec.containers[0]!.name;
    expect(rule('PlatformApiMemoryNearLimit').expr).toContain(`container="${containerOf(service.name)}"`);
    expect(rule('PlatformApiHighErrorRate').expr).toContain(`container="${containerOf(service.name)}"`);
    expect(rule('PlatformOutboxLagging').expr).toContain(`container="${containerOf(service.worker.name)}"`);
  });

  it('burn-rate alerts read their objective from the options (per stage)', () => {
    const app = new App();
    const chart = new Chart(app, 'objectives');
    const objectives = { availability: 0.999, latency: { thresholdSeconds: 0.25, target: 0.95 } };
    new Monitoring(chart, 'monitoring', environments.prod, { objectives });
    const spec = (chart.toJson() as KubeObject[]).find((o) => o.kind === 'PrometheusRule')!.spec as {
      groups: Array<{ rules: AlertingRule[] }>;
    };
    const burn = (name: string) => spec.groups.flatMap((g) => g.rules).find((r) => r.alert === name)!.expr;
    // 14.4 x (1 - 0.999) and 14.4 x (1 - 0.95), at the 0.25 s bucket.
    expect(burn('PlatformApiAvailabilityBudgetBurnFast')).toContain('> 0.0144 and');
    expect(burn('PlatformApiLatencyBudgetBurnFast')).toContain('> 0.72 and');
    expect(burn('PlatformApiLatencyBudgetBurnFast')).toContain('le="0.25"');
    expect(
      () =>
        new Monitoring(new Chart(new App(), 'x'), 'm', environments.prod, {
          objectives: { ...objectives, latency: { thresholdSeconds: 0.3, target: 0.99 } },
        }),
    ).toThrow(/not a bucket boundary/);
  });
});

describe('scraping', () => {
  it('scrapes the metrics path on the named port the Service exposes, with the mesh certificate', () => {
    const monitor = only(prod, 'ServiceMonitor', service.name).spec as {
      endpoints: Array<{ port: string; path: string; scheme: string }>;
    };
    const svc = only(prod, 'Service', service.name);
    const ports = (svc.spec as { ports: Array<{ name: string }> }).ports.map((p) => p.name);
    const selector = (
      only(prod, 'ServiceMonitor', service.name).spec as { selector: { matchLabels: object } }
    ).selector;
    expect(svc.metadata.labels).toMatchObject(selector.matchLabels);
    for (const endpoint of monitor.endpoints) {
      expect(ports).toContain(endpoint.port);
      expect(endpoint.path).toBe(service.paths.metrics);
      expect(endpoint.scheme).toBe('https');
    }
  });

  it.each(synthesized.map((r) => [r.env, r] as const))(
    '%s ships monitoring objects only where enabled',
    (env, result) => {
      const expected = environments[env].monitoring.enabled ? 1 : 0;
      const named = (kind: string, name: string) => all(result, kind).filter((o) => o.metadata.name === name);
      expect(named('ServiceMonitor', service.name)).toHaveLength(expected);
      expect(all(result, 'PrometheusRule')).toHaveLength(expected);
      // The worker is scraped through its metrics Service: both or neither.
      expect(named('ServiceMonitor', service.worker.name)).toHaveLength(
        named('Service', workerMetricsService).length,
      );
      if (!expected) expect(all(result, 'ServiceMonitor')).toHaveLength(0);
    },
  );
});

describe('scraping the worker (scrapeWorker)', () => {
  const app = new App();
  const chart = new Chart(app, 'worker-scrape', { namespace: service.namespace });
  new Monitoring(chart, 'monitoring', environments.prod, {
    objectives: environments.prod.slo,
    scrapeWorker: true,
  });
  const objects = chart.toJson() as KubeObject[];
  const metricsService = objects.find((o) => o.kind === 'Service')!;
  const monitor = objects.find(
    (o) => o.kind === 'ServiceMonitor' && o.metadata.name === service.worker.name,
  )!;
  const deployment = only(prod, 'Deployment', service.worker.name).spec as {
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: Array<{ ports: Array<{ name: string; containerPort: number }> }> };
    };
  };
  const apiPods = (only(prod, 'Deployment', service.name).spec as typeof deployment).template.metadata.labels;

  it('validates against the Service and ServiceMonitor schemas', () => {
    for (const o of objects) expect(() => validateObject(o), `${o.kind}/${o.metadata.name}`).not.toThrow();
    expect(() => serviceMonitorSchema.parse(monitor)).not.toThrow();
    expect(() => prometheusRuleSchema.parse(objects.find((o) => o.kind === 'PrometheusRule'))).not.toThrow();
  });

  it('selects the worker pods only, through a headless Service on their named port', () => {
    const spec = metricsService.spec as {
      clusterIP: string;
      selector: Record<string, string>;
      ports: Array<{ name: string; port: number; targetPort: string }>;
    };
    expect(metricsService.metadata.name).toBe(workerMetricsService);
    expect(spec.clusterIP).toBe('None');
    expect(deployment.template.metadata.labels).toMatchObject(spec.selector);
    expect(apiPods).not.toMatchObject(spec.selector);
    const containerPorts = deployment.template.spec.containers[0]!.ports;
    expect(containerPorts.map((p) => p.name)).toContain(spec.ports[0]!.targetPort);
    expect(spec.ports[0]!.port).toBe(service.worker.port);
  });

  it('scrapes that Service on the metrics path with the mesh certificate', () => {
    const spec = monitor.spec as {
      selector: { matchLabels: Record<string, string> };
      endpoints: Array<{ port: string; path: string; scheme: string }>;
    };
    expect(metricsService.metadata.labels).toMatchObject(spec.selector.matchLabels);
    const ports = (metricsService.spec as { ports: Array<{ name: string }> }).ports.map((p) => p.name);
    for (const endpoint of spec.endpoints) {
      expect(ports).toContain(endpoint.port);
      expect(endpoint.path).toBe(service.paths.metrics);
      expect(endpoint.scheme).toBe('https');
    }
  });
});
