import { selects } from '../../../../policies/src/model/label-selector.js';

/** A Kubernetes label selector (meta/v1 LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/**
 * Whether a selector matches a set of labels (the policies' implementation of apimachinery's semantics). In a
 * NetworkPolicy an absent selector means the empty one, which matches everything.
 */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  return selects(selector ?? {}, labels);
}
