import type { RegisteredResource } from '../../../src/testing/registered-resources.js';

/** A Kubernetes object as the rehearsal reads it: only the fields the network checks look at. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

const configGroup = 'kubernetes:yaml/v2:ConfigGroup';

/** `kubernetes:<group>/<version>:<Kind>` → apiVersion and kind (`core` is the empty group). */
function typeToApi(type: string): { apiVersion: string; kind: string } | undefined {
  const match = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(type);
  if (!match) return undefined;
  const [, groupVersion = '', kind = ''] = match;
  return { apiVersion: groupVersion.replace(/^core\//, ''), kind };
}

/**
 * Every Kubernetes object the stage would create that the rehearsal can see without rendering a Helm chart:
 * the service's chart objects (ConfigGroup `objs`) and the objects the program registers one by one.
 */
export function kubeObjects(resources: readonly RegisteredResource[]): KubeObject[] {
  return resources.flatMap((resource): KubeObject[] => {
    if (resource.type === configGroup) return (resource.inputs.objs as KubeObject[] | undefined) ?? [];
    const api = typeToApi(resource.type);
    if (!api || resource.type.includes('helm.sh') || resource.type.includes('yaml/')) return [];
    const { metadata, spec, data } = resource.inputs as Partial<KubeObject>;
    if (!metadata?.name) return [];
    return [{ ...api, metadata, ...(spec ? { spec } : {}), ...(data ? { data } : {}) }];
  });
}

export const objectsOfKind = (objects: readonly KubeObject[], kind: string) =>
  objects.filter((o) => o.kind === kind);

/** Labels of every namespace the stage creates, with the name label the API server adds to each namespace. */
export function namespaceLabels(objects: readonly KubeObject[]): Map<string, Record<string, string>> {
  const labels = new Map<string, Record<string, string>>();
  for (const ns of objectsOfKind(objects, 'Namespace')) {
    labels.set(ns.metadata.name, { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name });
  }
  return labels;
}

/**
 * Labels of a namespace: registered ones, or only the name label for one the stage does not create (kube-system).
 * Kubernetes sets `kubernetes.io/metadata.name` on every namespace (NamespaceDefaultLabelName, GA in 1.22).
 */
export function labelsOfNamespace(
  known: ReadonlyMap<string, Record<string, string>>,
  name: string,
): Record<string, string> {
  return known.get(name) ?? { 'kubernetes.io/metadata.name': name };
}
