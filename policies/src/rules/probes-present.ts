import type { ObjectRule } from '../model/rule.js';
import { longRunningContainersOf, podTemplateOf } from '../model/workloads.js';

export const probesPresent: ObjectRule = {
  scope: 'object',
  name: 'probes-present',
  description:
    'Every long-running container has a readiness probe (so traffic only reaches ready pods) and a liveness ' +
    'probe (so a wedged process is restarted). Jobs run to completion and are exempt.',
  severity: 'high',
  remediation:
    'Add readinessProbe and livenessProbe to each container of the workload (for the service: the ' +
    '/api/v1/health/ready and /api/v1/health/live endpoints); add a startupProbe if start-up is slow.',
  check(object) {
    const template = podTemplateOf(object);
    if (!template || template.runsToCompletion) return [];
    return longRunningContainersOf(template.spec).flatMap(({ container, label }) => {
      const missing = (['readinessProbe', 'livenessProbe'] as const).filter((probe) => !container[probe]);
      return missing.length === 0 ? [] : [`${label}: missing ${missing.join(' and ')}`];
    });
  },
};
