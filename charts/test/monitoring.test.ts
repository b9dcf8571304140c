import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environments } from '../src/config/environments.js';
import { alertNames } from '../src/constructs/alert-rules.js';
import type { AlertingRule } from '../src/constructs/prometheus-operator-schemas.js';
import { service } from '../src/contract.js';
import { all, only, synthesized } from './support/fixtures.js';
import { repoRoot } from './support/repo.js';

const prod = synthesized.find((r) => r.env === 'prod')!;
const rules = () =>
  (only(prod, 'PrometheusRule').spec as { groups: Array<{ rules: AlertingRule[] }> }).groups[0]!.rules;
const rule = (name: string) => rules().find((r) => r.alert === name)!;

describe('production alerts', () => {
  it('cover error rate, latency, readiness and memory, paging as critical', () => {
    expect(rules().map((r) => r.alert)).toEqual([...alertNames]);
    for (const r of rules()) expect(r.labels.severity).toBe('critical');
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

  it('link each alert to a runbook page that exists in docs/runbooks', () => {
    for (const r of rules()) {
      const url = new URL(r.annotations.runbook_url);
      expect(url.pathname.endsWith(`/docs/runbooks/${r.alert}.md`), r.alert).toBe(true);
      expect(existsSync(join(repoRoot, 'docs/runbooks', `${r.alert}.md`)), r.alert).toBe(true);
    }
  });

  it('select the series of the containers and service the chart deploys', () => {
    const container = (
      only(prod, 'Deployment', service.name).spec as {
        template: { spec: { containers: Array<{ name: string }> } };
      }
    ).template.spec.containers[0]!.name;
    expect(rule('PlatformApiMemoryNearLimit').expr).toContain(`container="${container}"`);
    expect(rule('PlatformApiHighErrorRate').expr).toContain(`service="${service.name}"`);
  });
});

describe('scraping', () => {
  it('scrapes the metrics path on the named port the Service exposes, with the mesh certificate', () => {
    const monitor = only(prod, 'ServiceMonitor').spec as {
      endpoints: Array<{ port: string; path: string; scheme: string }>;
    };
    const svc = only(prod, 'Service');
    const ports = (svc.spec as { ports: Array<{ name: string }> }).ports.map((p) => p.name);
    const selector = (only(prod, 'ServiceMonitor').spec as { selector: { matchLabels: object } }).selector;
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
      expect(all(result, 'ServiceMonitor')).toHaveLength(expected);
      expect(all(result, 'PrometheusRule')).toHaveLength(expected);
    },
  );
});
