import { service } from '../contract.js';

export type Component = 'api' | 'worker' | 'migration';

/** The labels a selector matches on: stable for the life of a workload, so never the version. */
export function selectorLabels(component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/component': component };
}

export function objectLabels(component: Component): Record<string, string> {
  return { ...selectorLabels(component), 'app.kubernetes.io/part-of': 'platform' };
}
