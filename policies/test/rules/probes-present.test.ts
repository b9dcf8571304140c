import { describe, expect, it } from 'vitest';
import { probesPresent } from '../../src/rules/probes-present.js';
import { verdict } from '../support/fixtures.js';

describe('probes-present', () => {
  it('exempts Jobs, which run to completion', () => {
    expect(verdict(probesPresent, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('requires both probes on app containers and on native sidecars', () => {
    expect(verdict(probesPresent, 'fail.yaml', 'local')).toEqual([
      'StatefulSet shop/web: sidecar container "proxy": missing readinessProbe and livenessProbe',
      'StatefulSet shop/web: container "web": missing livenessProbe',
    ]);
  });
});
