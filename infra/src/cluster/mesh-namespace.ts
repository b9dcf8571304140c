import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/**
 * Whether Istio injects sidecars into a namespace's pods. Every platform namespace states it explicitly, so a
 * reader (and a policy) sees the intent instead of inheriting a cluster default.
 */
export type MeshMembership = 'enabled' | 'disabled';

export function meshNamespace(
  name: string,
  membership: MeshMembership,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    name,
    {
      metadata: {
        name,
        labels: { 'istio-injection': membership, 'app.kubernetes.io/managed-by': 'pulumi' },
      },
    },
    opts,
  );
}
