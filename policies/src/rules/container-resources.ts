import type { IContainer } from 'kubernetes-models/v1';
import type { ObjectRule } from '../model/rule.js';
import { containersOf, podTemplateOf } from '../model/workloads.js';

/**
 * CPU limits are deliberately not required: CFS throttling under a CPU limit adds latency even on idle
 * nodes, and the request already reserves the capacity. Memory has no such trade-off: without a limit one
 * leaking pod takes the node down with it.
 */
const required = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
] as const;

export const containerResources: ObjectRule = {
  scope: 'object',
  name: 'container-resources',
  description:
    'Every container declares CPU and memory requests and a memory limit, so the scheduler can place it and a leak cannot starve its neighbours.',
  severity: 'high',
  remediation:
    'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on each container ' +
    '(init containers included); size them from observed usage.',
  check(object) {
    const template = podTemplateOf(object);
    if (!template) return [];
    return containersOf(template.spec).flatMap(({ container, label }) => {
      const missing = missingResources(container);
      return missing.length === 0 ? [] : [`${label}: missing ${missing.join(', ')}`];
    });
  },
};

function missingResources(container: IContainer): string[] {
  return required
    .filter(([section, resource]) => isUnset(container.resources?.[section]?.[resource]))
    .map(([section, resource]) => `resources.${section}.${resource}`);
}

function isUnset(quantity: unknown): boolean {
  return quantity === undefined || quantity === null || quantity === '' || quantity === 0 || quantity === '0';
}
