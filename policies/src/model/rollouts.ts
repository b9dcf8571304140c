import { isKind, type KubeObject, nameOf, namespaceOf } from './kube-object.js';

/**
 * The Argo Rollouts Rollout that runs a workload's pods through `spec.workloadRef`, if any. Such a Deployment is
 * only the pod template: the controller scales it to zero once the Rollout's own pods run, so replicas and
 * autoscaling belong to the Rollout (argoproj/argo-rollouts@v1.9.0 rollout/templateref.go; the Rollout's
 * `replicas` defaults to 1, pkg/apis/rollouts/defaults GetReplicasOrDefault).
 */
export function rolloutOf(workload: KubeObject, objects: readonly KubeObject[]): KubeObject | undefined {
  return objects.find((object) => {
    if (!isKind(object, 'argoproj.io', 'Rollout') || namespaceOf(object) !== namespaceOf(workload))
      return false;
    const ref = (
      object.spec as { workloadRef?: { apiVersion?: string; kind?: string; name?: string } } | undefined
    )?.workloadRef;
    return (
      ref?.apiVersion === workload.apiVersion && ref.kind === workload.kind && ref.name === nameOf(workload)
    );
  });
}
