import type {
  EnforcementLevel,
  Policies,
  Policy,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { KubeObject } from '../model/kube-object.js';
import type { ObjectRule, Rule, SetRule, Severity } from '../model/rule.js';
import { stageOfUrn, toKubeObject } from '../sources/pulumi-resources.js';

/**
 * Turns the rule set into CrossGuard policies. Object rules validate each resource's inputs during
 * `pulumi preview`/`up`, before anything is created; set rules validate the whole stack at the end.
 */
export function toCrossGuardPolicies(rules: readonly Rule[]): Policies {
  return rules.map((rule) => (rule.scope === 'object' ? resourcePolicy(rule) : stackPolicy(rule)));
}

function resourcePolicy(rule: ObjectRule): ResourceValidationPolicy {
  return {
    ...policyInfo(rule),
    validateResource: (args, reportViolation) => {
      const object = toKubeObject(args);
      if (!object) return;
      for (const message of rule.check(object, { stage: stageOfUrn(args.urn) })) reportViolation(message);
    },
  };
}

function stackPolicy(rule: SetRule): StackValidationPolicy {
  return {
    ...policyInfo(rule),
    validateStack: (args, reportViolation) => {
      const [first] = args.resources;
      if (!first) return;
      const urnOf = new Map<KubeObject, string>();
      for (const resource of args.resources) {
        const object = toKubeObject(resource);
        if (object) urnOf.set(object, resource.urn);
      }
      for (const { object, message } of rule.check([...urnOf.keys()], { stage: stageOfUrn(first.urn) })) {
        reportViolation(message, urnOf.get(object));
      }
    },
  };
}

function policyInfo(rule: Rule): Policy {
  return {
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    enforcementLevel: enforcementFor(rule.severity),
  };
}

/** Low-severity findings inform; everything else stops the update, as it stops the CI policy check. */
function enforcementFor(severity: Severity): EnforcementLevel {
  return severity === 'low' ? 'advisory' : 'mandatory';
}
