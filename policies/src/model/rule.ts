import type { KubeObject } from './kube-object.js';
import type { RuleContext } from './stage-context.js';

/** The same scale CrossGuard uses, so severities survive the trip into `pulumi preview` output. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface Violation {
  /** The offending object, by reference: each gate maps it back to a file or a Pulumi URN. */
  object: KubeObject;
  message: string;
}

interface RuleInfo {
  /** Unique, kebab-case; CrossGuard uses it as the policy name. */
  name: string;
  description: string;
  severity: Severity;
  /** What to change so the rule passes, written for the person reading the failed check. */
  remediation: string;
}

/**
 * A rule that judges one object at a time. CrossGuard runs these per resource on its inputs, before
 * anything is created, which gives the earliest and most precise report.
 */
export interface ObjectRule extends RuleInfo {
  scope: 'object';
  check(object: KubeObject, context: RuleContext): string[];
}

/** A rule that needs to see the whole set (a PDB for each workload, a default deny per namespace). */
export interface SetRule extends RuleInfo {
  scope: 'set';
  check(objects: readonly KubeObject[], context: RuleContext): Violation[];
}

export type Rule = ObjectRule | SetRule;

/** Runs any rule over a set of objects. */
export function violationsOf(rule: Rule, objects: readonly KubeObject[], context: RuleContext): Violation[] {
  if (rule.scope === 'set') return rule.check(objects, context);
  return objects.flatMap((object) => rule.check(object, context).map((message) => ({ object, message })));
}
