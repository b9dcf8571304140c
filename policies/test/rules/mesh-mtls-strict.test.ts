import { describe, expect, it } from 'vitest';
import { meshMtlsStrict } from '../../src/rules/mesh-mtls-strict.js';
import { verdict } from '../support/fixtures.js';

describe('mesh-mtls-strict', () => {
  it('accepts namespace-wide and workload policies, and exempts pods outside the mesh', () => {
    expect(verdict(meshMtlsStrict, 'pass.yaml', 'dev')).toEqual([]);
  });

  it('accepts one mesh-wide STRICT policy in the Istio root namespace for every namespace', () => {
    expect(verdict(meshMtlsStrict, 'mesh-wide.yaml', 'prod')).toEqual([]);
  });

  it('reports permissive modes, plain-text ports, and meshed workloads no STRICT policy selects', () => {
    expect(verdict(meshMtlsStrict, 'fail.yaml', 'staging')).toEqual([
      'PeerAuthentication shop/default: mtls.mode is PERMISSIVE, not STRICT',
      'PeerAuthentication shop/metrics: port 9090 mtls.mode is DISABLE, not STRICT',
      'Deployment shop/web: its pods join the mesh but no STRICT PeerAuthentication covers them',
      'Deployment billing/billing: its pods join the mesh but no STRICT PeerAuthentication covers them',
    ]);
  });

  it('lets a local cluster run permissive', () => {
    expect(verdict(meshMtlsStrict, 'fail.yaml', 'local')).toEqual([]);
  });
});
