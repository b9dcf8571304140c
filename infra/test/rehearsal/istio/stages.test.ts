import { type Stage, stages } from '@platform/charts/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/registered-resources.js';
import { formatFindings } from '../findings.js';
import { chartDistObjects } from './chart-dist.js';
import { checkIstioObjects, istioObjectsOf } from './check-istio-objects.js';
import { checkGatewayBindings } from './gateway-binding.js';
import { isIstioObject } from './istio-object.js';
import { checkMeshProviders } from './mesh-providers.js';

const registered = {} as Record<Stage, RegisteredResource[]>;

beforeAll(async () => {
  // Mocks are process-wide: one stage after another.
  for (const stage of stages) registered[stage] = (await mockPlatform(stage)).resources;
}, 120_000);

const kinds = (objects: { kind: string }[]) => [...new Set(objects.map((o) => o.kind))].sort();

describe.each(stages)('%s: Istio objects against istiod 1.30 validation', (stage) => {
  it('the program registers nothing istiod would refuse (mesh objects and the service chart it applies)', () => {
    const objects = istioObjectsOf(registered[stage]);
    expect(kinds(objects)).toEqual(
      expect.arrayContaining([
        'Gateway',
        'PeerAuthentication',
        'Telemetry',
        'VirtualService',
        'AuthorizationPolicy',
      ]),
    );
    const findings = checkIstioObjects(objects);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('routes only through a Gateway the program creates, for hosts that Gateway serves', () => {
    const findings = checkGatewayBindings(istioObjectsOf(registered[stage]));
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('traces through a provider istiod defines, and istiod accepts its provider list', () => {
    const findings = checkMeshProviders(registered[stage]);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('the committed manifests (charts/dist) hold nothing istiod would refuse', () => {
    const objects = chartDistObjects(stage);
    expect(kinds(objects.filter(isIstioObject))).toEqual([
      'AuthorizationPolicy',
      'DestinationRule',
      'PeerAuthentication',
      'RequestAuthentication',
      'VirtualService',
    ]);
    const findings = checkIstioObjects(objects);
    expect(findings, formatFindings(findings)).toEqual([]);
  });
});
