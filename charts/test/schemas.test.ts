import { describe, expect, it } from 'vitest';
import { service, stages } from '../src/contract.js';
import { only, synthesized } from './support/fixtures.js';
import { validateObject } from './support/validators.js';

describe.each(synthesized.map((r) => [r.env, r] as const))('%s manifests', (_env, result) => {
  it('validate every object against its published schema', () => {
    for (const object of result.objects) {
      expect(() => validateObject(object), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
  });

  it('emit Istio objects at v1, the version Istio 1.30 stores and the platform program uses', () => {
    const istio = result.objects.filter((o) => o.apiVersion.includes('.istio.io/'));
    expect(istio.length).toBeGreaterThan(0);
    for (const o of istio) expect(o.apiVersion, `${o.kind}/${o.metadata.name}`).toMatch(/\.istio\.io\/v1$/);
  });

  it('name every object once per kind, all in the service namespace', () => {
    const keys = result.objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const o of result.objects) expect(o.metadata.namespace).toBe('platform-api');
  });
});

describe('schema validation', () => {
  const prod = synthesized.find((r) => r.env === 'prod')!;

  it('rejects a Deployment with a wrongly typed field', () => {
    const deployment = only(prod, 'Deployment', service.name);
    const broken = { ...deployment, spec: { ...(deployment.spec as object), replicas: 'three' } };
    expect(() => validateObject(broken)).toThrow(/replicas/);
  });

  it('rejects an Istio PeerAuthentication with an unknown mTLS mode', () => {
    const peer = only(prod, 'PeerAuthentication', service.name);
    const broken = { ...peer, spec: { mtls: { mode: 'SOMETIMES' } } };
    expect(() => validateObject(broken)).toThrow(/mode/);
  });

  it('rejects a ServiceMonitor field the operator does not know (typo)', () => {
    const monitor = only(prod, 'ServiceMonitor', service.name);
    const spec = monitor.spec as { endpoints: object[] };
    const broken = { ...monitor, spec: { ...spec, endpoints: [{ ...spec.endpoints[0], intervall: '30s' }] } };
    expect(() => validateObject(broken)).toThrow(/intervall/);
  });

  it('rejects an Istio object at a version the validators were not given (v1beta1)', () => {
    const peer = only(prod, 'PeerAuthentication', service.name);
    expect(() => validateObject({ ...peer, apiVersion: 'security.istio.io/v1beta1' })).toThrow(/no schema/);
  });

  it('rejects a kind it has no schema for', () => {
    expect(() =>
      validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toThrow(/no schema/);
  });

  it('covers every environment', () => {
    expect(synthesized.map((r) => r.env)).toEqual([...stages]);
  });
});
