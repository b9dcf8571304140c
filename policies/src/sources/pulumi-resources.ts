import { type Stage, stages } from '@platform/charts/contract';
import { isRecord, type KubeObject } from '../model/kube-object.js';

/** What CrossGuard (and the mocked program) tells us about one resource. */
export interface PulumiResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

const helmKinds = new Set(['Release', 'Chart']);

/**
 * The Kubernetes object a Pulumi resource will apply, or undefined for anything else (providers, components,
 * YAML groups whose objects are registered separately). Helm releases become a `helm.sh` object whose spec
 * is the release's inputs, so the same rules can read their chart version.
 */
export function toKubeObject(resource: PulumiResource): KubeObject | undefined {
  const match = /^kubernetes:([^:]+)\/([^:/]+):([^:]+)$/.exec(resource.type);
  if (!match) return undefined;
  const [, group = '', version = '', kind = ''] = match;
  const apiVersion = group === 'core' ? version : `${group}/${version}`;
  if (group === 'yaml') return undefined;
  if (group === 'helm.sh') {
    if (!helmKinds.has(kind)) return undefined;
    const name = typeof resource.props.name === 'string' ? resource.props.name : resource.name;
    const namespace =
      typeof resource.props.namespace === 'string' ? { namespace: resource.props.namespace } : {};
    return { apiVersion, kind, metadata: { name, ...namespace }, spec: resource.props };
  }
  const metadata = isRecord(resource.props.metadata) ? resource.props.metadata : {};
  return {
    ...resource.props,
    apiVersion: typeof resource.props.apiVersion === 'string' ? resource.props.apiVersion : apiVersion,
    kind: typeof resource.props.kind === 'string' ? resource.props.kind : kind,
    // Pulumi auto-names objects without metadata.name; its logical name is what the engineer will recognize.
    metadata: { name: resource.name, ...metadata },
  };
}

/**
 * The stage a resource belongs to, read from its URN (`urn:pulumi:<stack>::...`): stacks are named after
 * stages. A stack with any other name is judged as prod, the strictest stage, rather than let through.
 */
export function stageOfUrn(urn: string): Stage {
  const stack = /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
  return stages.find((stage) => stage === stack) ?? 'prod';
}
