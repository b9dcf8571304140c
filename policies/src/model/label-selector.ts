import type { IDeploymentSpec } from 'kubernetes-models/apps/v1';

export type LabelSelector = IDeploymentSpec['selector'];

/**
 * Kubernetes label selector semantics: every matchLabels pair and every matchExpression must hold.
 * An empty selector matches everything, which is what a PodDisruptionBudget with `selector: {}` does.
 */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const pairsHold = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressionsHold = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
  return pairsHold && expressionsHold;
}
