import { describe, expect, it } from 'vitest';
import { podSecurityRestricted } from '../../src/rules/pod-security-restricted.js';
import { verdict } from '../support/fixtures.js';

describe('pod-security-restricted', () => {
  it('accepts pod-level defaults completed by container settings, CronJobs included', () => {
    expect(verdict(podSecurityRestricted, 'pass.yaml', 'prod')).toEqual([]);
  });

  it('reports each broken control of each container, init containers and CronJobs included', () => {
    expect(verdict(podSecurityRestricted, 'fail.yaml', 'dev')).toEqual([
      "Deployment shop/web: pod shares the node's namespace (hostNetwork: true)",
      'Deployment shop/web: init container "setup": allowPrivilegeEscalation must be false',
      'Deployment shop/web: init container "setup": readOnlyRootFilesystem must be true',
      'Deployment shop/web: init container "setup": capabilities.drop must include ALL',
      'Deployment shop/web: container "web": runAsUser must not be 0 (root)',
      'Deployment shop/web: container "web": privileged must be false',
      'Deployment shop/web: container "web": allowPrivilegeEscalation must be false',
      'Deployment shop/web: container "web": readOnlyRootFilesystem must be true',
      'Deployment shop/web: container "web": capabilities.drop must include ALL',
      'Deployment shop/web: container "web": capabilities.add must be empty or NET_BIND_SERVICE (found SYS_ADMIN)',
      'Deployment shop/web: container "web": seccompProfile.type must be RuntimeDefault or Localhost (found Unconfined)',
      'CronJob shop/report: container "report": runAsNonRoot must be true',
      'CronJob shop/report: container "report": allowPrivilegeEscalation must be false',
      'CronJob shop/report: container "report": readOnlyRootFilesystem must be true',
      'CronJob shop/report: container "report": capabilities.drop must include ALL',
      'CronJob shop/report: container "report": seccompProfile.type must be RuntimeDefault or Localhost (found none)',
    ]);
  });

  it('holds local clusters to the same bar', () => {
    expect(verdict(podSecurityRestricted, 'fail.yaml', 'local')).toEqual(
      verdict(podSecurityRestricted, 'fail.yaml', 'prod'),
    );
  });
});
