import { isKind, type KubeObject, nameOf, namespaceOf } from '../model/kube-object.js';
import { type LabelSelector, selects } from '../model/label-selector.js';
import { rolloutOf } from '../model/rollouts.js';
import type { SetRule, Violation } from '../model/rule.js';
import { isScalableWorkload, podTemplateOf } from '../model/workloads.js';

/** One pod can always be lost to a node drain or a crash; two is the least that keeps serving. */
const minimumReplicas = 2;

export const prodAvailability: SetRule = {
  scope: 'set',
  name: 'prod-availability',
  description: `In prod, every Deployment and StatefulSet keeps at least ${minimumReplicas} replicas (its own or its HorizontalPodAutoscaler's minimum; for a Deployment an Argo Rollout runs, the Rollout's) and is covered by a PodDisruptionBudget.`,
  severity: 'high',
  remediation: `Set spec.replicas (or the HPA's minReplicas) to ${minimumReplicas} or more, and add a PodDisruptionBudget in the same namespace whose selector matches the pod template labels.`,
  check(objects, context) {
    if (context.stage !== 'prod') return [];
    return objects.filter(isScalableWorkload).flatMap((workload): Violation[] => {
      const problems: string[] = [];
      const replicas = minimumReplicasOf(workload, objects);
      if (replicas < minimumReplicas) {
        problems.push(`runs as few as ${replicas} replica(s), prod needs at least ${minimumReplicas}`);
      }
      if (!hasDisruptionBudget(workload, objects)) problems.push('no PodDisruptionBudget selects its pods');
      return problems.map((message) => ({ object: workload, message }));
    });
  },
};

function minimumReplicasOf(workload: KubeObject, objects: readonly KubeObject[]): number {
  // A Deployment a Rollout runs has the Rollout's replicas (and autoscaler), whatever its own say.
  const rollout = rolloutOf(workload, objects);
  if (rollout) return minimumReplicasOf(rollout, objects);
  const autoscaler = objects.find((object) => isAutoscalerOf(object, workload));
  if (autoscaler) return numberAt(autoscaler.spec, 'minReplicas') ?? 1;
  return numberAt(workload.spec, 'replicas') ?? 1;
}

function isAutoscalerOf(object: KubeObject, workload: KubeObject): boolean {
  if (!isKind(object, 'autoscaling', 'HorizontalPodAutoscaler')) return false;
  if (namespaceOf(object) !== namespaceOf(workload)) return false;
  const target = (object.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)
    ?.scaleTargetRef;
  return target?.kind === workload.kind && target.name === nameOf(workload);
}

function hasDisruptionBudget(workload: KubeObject, objects: readonly KubeObject[]): boolean {
  const labels = podTemplateOf(workload)?.labels ?? {};
  return objects.some(
    (object) =>
      isKind(object, 'policy', 'PodDisruptionBudget') &&
      namespaceOf(object) === namespaceOf(workload) &&
      selects((object.spec as { selector?: LabelSelector } | undefined)?.selector, labels),
  );
}

function numberAt(spec: unknown, field: string): number | undefined {
  const value = (spec as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'number' ? value : undefined;
}
