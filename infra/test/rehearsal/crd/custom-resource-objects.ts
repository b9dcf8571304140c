import { parseAllDocuments } from 'yaml';
import type { RegisteredResource } from '../../../src/testing/index.js';
import { isObject, type JsonObject } from './json-value.js';

/** A Kubernetes object as the program or a chart hands it to the API server. */
export interface KubeObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata?: JsonObject;
}

/**
 * API groups the API server serves itself (Kubernetes 1.33 `kubectl api-versions` without CRDs). Everything else
 * is a custom resource that needs a CRD; `gateway.networking.k8s.io` and other `*.x-k8s.io` groups are CRDs too.
 */
const builtInGroups = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export const isCustomResource = (object: KubeObject) => !builtInGroups.has(groupOf(object.apiVersion));

const isKubeObject = (value: unknown): value is KubeObject =>
  isObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';

function objectsOfConfigGroup(inputs: Record<string, unknown>): KubeObject[] {
  const objs = inputs.objs === undefined ? [] : [inputs.objs].flat();
  const yamlTexts = inputs.yaml === undefined ? [] : [inputs.yaml].flat();
  const fromYaml = yamlTexts
    .filter((text): text is string => typeof text === 'string')
    .flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as unknown));
  return [...objs, ...fromYaml].filter(isKubeObject);
}

/**
 * Every Kubernetes object a program's resources send to the API server: each `kubernetes:<group>/<version>:<Kind>`
 * resource's inputs (CustomResource and typed resources alike), and the objects of `kubernetes:yaml/v2:ConfigGroup`
 * (`objs` and `yaml`). Helm releases are left to the Helm checks.
 */
export function kubeObjectsOf(resources: readonly RegisteredResource[]): KubeObject[] {
  return resources.flatMap((resource) => {
    if (
      resource.type === 'kubernetes:yaml/v2:ConfigGroup' ||
      resource.type === 'kubernetes:yaml:ConfigGroup'
    ) {
      return objectsOfConfigGroup(resource.inputs);
    }
    if (!resource.type.startsWith('kubernetes:') || resource.type.startsWith('kubernetes:helm.sh/'))
      return [];
    return isKubeObject(resource.inputs) ? [resource.inputs] : [];
  });
}

/** Objects of a multi-document YAML file (e.g. charts/dist/<env>/*.yaml). */
export function kubeObjectsOfYaml(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter(isKubeObject);
}
