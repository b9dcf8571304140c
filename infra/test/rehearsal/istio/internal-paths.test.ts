import { readFileSync } from 'node:fs';
import { service, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import { formatFindings } from '../findings.js';
import { chartDistObjects } from './chart-dist.js';
import { checkIstioObjects, istioObjectsOf } from './check-istio-objects.js';
import { checkInternalPathsNotRouted } from './internal-paths.js';
import { type IstioObject, isIstioObject } from './istio-object.js';
import type { Spec } from './planting.js';

const internal = [service.paths.ready, service.paths.live];

/** Today's committed VirtualService of a stage (charts/dist), a copy to plant defects into. */
const virtualService = (stage: (typeof stages)[number]) =>
  structuredClone(
    chartDistObjects(stage)
      .filter(isIstioObject)
      .find((o) => o.kind === 'VirtualService') as IstioObject,
  );
const http = (vs: IstioObject) => (vs.spec as Spec).http as Spec[];

describe('rehearsal: readiness and liveness are not routed through the gateway', () => {
  it.each([...stages])('%s: the gateway answers the health routes itself, and istiod accepts it', (stage) => {
    const vs = virtualService(stage);
    const findings = [...checkInternalPathsNotRouted([vs], internal), ...checkIstioObjects([vs])];
    expect(findings, formatFindings(findings)).toEqual([]);
    expect(http(vs)[0]).toMatchObject({ directResponse: { status: 404 } });
  });

  it('reports health routed through the gateway (the route list before the fix)', () => {
    const vs = virtualService('prod');
    (vs.spec as Spec).http = http(vs).filter((route) => !route.directResponse);
    expect(checkInternalPathsNotRouted([vs], internal).map((f) => `${f.path}: ${f.message}`)).toEqual([
      `spec.http[0]: route api forwards ${service.paths.ready} from gateway istio-ingress/platform-gateway to the service: internal routes must answer at the gateway (directResponse 404)`,
      `spec.http[0]: route api forwards ${service.paths.live} from gateway istio-ingress/platform-gateway to the service: internal routes must answer at the gateway (directResponse 404)`,
    ]);
  });

  it('reports the block placed after the catch-all route, and a header-conditional route before it', () => {
    const vs = virtualService('prod');
    const [block, api] = http(vs) as [Spec, Spec];
    (vs.spec as Spec).http = [api, block];
    expect(checkInternalPathsNotRouted([vs], [service.paths.ready]).map((f) => f.path)).toEqual([
      'spec.http[0]',
    ]);
    const canary = {
      ...structuredClone(api),
      name: 'canary',
      match: [{ headers: { 'x-canary': { exact: '1' } } }],
    };
    (vs.spec as Spec).http = [canary, block, api];
    expect(checkInternalPathsNotRouted([vs], [service.paths.ready]).map((f) => f.message)).toEqual([
      expect.stringMatching(/^route canary forwards \/api\/v1\/health\/ready/),
    ]);
  });

  it('a block that differs only in case does not count unless it ignores case', () => {
    const vs = virtualService('prod');
    const block = http(vs)[0] as Spec;
    block.match = [{ uri: { prefix: '/API/V1/HEALTH/' } }];
    expect(checkInternalPathsNotRouted([vs], [service.paths.ready])).toHaveLength(1);
    block.match = [{ uri: { prefix: '/API/V1/HEALTH/' }, ignoreUriCase: true }];
    expect(checkInternalPathsNotRouted([vs], [service.paths.ready])).toEqual([]);
  });

  it('reports a direct response istiod refuses (status outside 200-599)', () => {
    const vs = virtualService('prod');
    (http(vs)[0] as Spec).directResponse = { status: 700 };
    expect(checkIstioObjects([vs]).map((f) => f.message)).toContainEqual(
      expect.stringMatching(/HTTP status 700 is not in range 200-599/),
    );
  });

  it.each([...stages])(
    '%s before the fixes: the program routed every path, health included, to the service',
    (stage) => {
      const resources: RegisteredResource[] = JSON.parse(
        readFileSync(new URL(`../fixtures/before-fixes/${stage}.json`, import.meta.url), 'utf8'),
      );
      const findings = checkInternalPathsNotRouted(istioObjectsOf(resources), internal);
      expect(findings.map((f) => f.message)).toEqual([
        expect.stringMatching(/forwards \/api\/v1\/health\/ready/),
        expect.stringMatching(/forwards \/api\/v1\/health\/live/),
      ]);
    },
  );
});
