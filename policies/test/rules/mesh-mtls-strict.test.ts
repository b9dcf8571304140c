import { describe, expect, it } from 'vitest';
import { meshMtlsStrict } from '../../src/rules/mesh-mtls-strict.js';
import { verdict } from '../support/fixtures.js';

describe('mesh-mtls-strict', () => {
  it('accepts a STRICT namespace-wide policy next to a STRICT workload policy', () => {
    expect(verdict(meshMtlsStrict, 'pass.yaml', 'dev')).toEqual([]);
  });

  it('accepts one mesh-wide STRICT policy in the Istio root namespace for every namespace', () => {
    expect(verdict(meshMtlsStrict, 'mesh-wide.yaml', 'prod')).toEqual([]);
  });

  it('reports permissive modes, plain-text ports and uncovered namespaces', () => {
    expect(verdict(meshMtlsStrict, 'fail.yaml', 'staging')).toEqual([
      'PeerAuthentication shop/default: mtls.mode is PERMISSIVE, not STRICT',
      'PeerAuthentication shop/web-metrics: port 9090 mtls.mode is DISABLE, not STRICT',
      'Deployment shop/web: namespace "shop" has no STRICT namespace-wide or mesh-wide PeerAuthentication',
      'Deployment billing/billing: namespace "billing" has no STRICT namespace-wide or mesh-wide PeerAuthentication',
    ]);
  });

  it('lets a local cluster run permissive', () => {
    expect(verdict(meshMtlsStrict, 'fail.yaml', 'local')).toEqual([]);
  });
});
