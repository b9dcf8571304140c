import { describe, expect, it } from 'vitest';
import { networkPolicyDefaultDeny } from '../../src/rules/network-policy-default-deny.js';
import { verdict } from '../support/fixtures.js';

describe('network-policy-default-deny', () => {
  it('accepts a default deny for both directions alongside allow policies', () => {
    expect(verdict(networkPolicyDefaultDeny, 'pass.yaml', 'local')).toEqual([]);
  });

  it('does not mistake partial selectors, ingress-only denies or allow-all rules for a default deny', () => {
    expect(verdict(networkPolicyDefaultDeny, 'fail.yaml', 'dev')).toEqual([
      'Deployment shop/web: namespace "shop" has no default-deny NetworkPolicy (ingress and egress)',
      'Job jobs/migrate: namespace "jobs" has no default-deny NetworkPolicy (ingress and egress)',
    ]);
  });
});
