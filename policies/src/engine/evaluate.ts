import type { KubeObject } from '../model/kube-object.js';
import { type Rule, violationsOf } from '../model/rule.js';
import type { RuleContext } from '../model/stage-context.js';

export interface Finding {
  rule: Rule;
  object: KubeObject;
  message: string;
}

export function evaluate(
  rules: readonly Rule[],
  objects: readonly KubeObject[],
  context: RuleContext,
): Finding[] {
  return rules.flatMap((rule) =>
    violationsOf(rule, objects, context).map((violation) => ({ rule, ...violation })),
  );
}
