import { stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/index.js';
import { formatFindings } from '../findings.js';
import { chartDistObjects } from './chart-dist-objects.js';
import { isCustomResource, kubeObjectsOf } from './custom-resource-objects.js';
import { checkCustomResources, checkRegisteredCustomResources } from './validate-custom-resource.js';

// Mocks are process-wide: every stage is registered here, one after the other, before any assertion.
const registered = new Map<string, RegisteredResource[]>();
for (const stage of stages) registered.set(stage, (await mockPlatform(stage)).resources);

const kinds = (objects: { apiVersion: string; kind: string }[]) =>
  [...new Set(objects.map((o) => `${o.apiVersion} ${o.kind}`))].sort();

describe('rehearsal: every custom resource matches its pinned CRD schema', () => {
  it.each([...stages])('%s: the program’s custom resources', (stage) => {
    const resources = registered.get(stage) as RegisteredResource[];
    const findings = checkRegisteredCustomResources(resources);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it.each([...stages])('%s: the service chart’s custom resources (charts/dist)', (stage) => {
    const findings = checkCustomResources(chartDistObjects(stage));
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('checks every kind the platform creates (no stage passes for want of objects)', () => {
    const program = kubeObjectsOf(registered.get('prod') as RegisteredResource[]).filter(isCustomResource);
    const chart = chartDistObjects('prod').filter(isCustomResource);
    expect(kinds(program)).toEqual(
      expect.arrayContaining([
        'barmancloud.cnpg.io/v1 ObjectStore',
        'monitoring.coreos.com/v1 PodMonitor',
        'networking.istio.io/v1 Gateway',
        'postgresql.cnpg.io/v1 Cluster',
        'postgresql.cnpg.io/v1 Pooler',
        'postgresql.cnpg.io/v1 ScheduledBackup',
        'secrets.hashicorp.com/v1beta1 VaultAuth',
        'secrets.hashicorp.com/v1beta1 VaultStaticSecret',
        'security.istio.io/v1 PeerAuthentication',
        'telemetry.istio.io/v1 Telemetry',
      ]),
    );
    expect(kinds(chart)).toEqual(
      expect.arrayContaining([
        'monitoring.coreos.com/v1 PrometheusRule',
        'monitoring.coreos.com/v1 ServiceMonitor',
        'networking.istio.io/v1 DestinationRule',
        'networking.istio.io/v1 VirtualService',
        'security.istio.io/v1 AuthorizationPolicy',
        'security.istio.io/v1 PeerAuthentication',
        'security.istio.io/v1 RequestAuthentication',
      ]),
    );
  });
});
