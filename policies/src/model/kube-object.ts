/**
 * The one shape every gate hands to the rules: a Kubernetes object (or a platform custom resource) as it
 * would be applied. Fields are read defensively because the objects come from files and programs the rules
 * are meant to distrust.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  data?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The API group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (the core group). */
export function apiGroup(object: KubeObject): string {
  const slash = object.apiVersion.indexOf('/');
  return slash === -1 ? '' : object.apiVersion.slice(0, slash);
}

export function isKind(object: KubeObject, group: string, kind: string): boolean {
  return object.kind === kind && apiGroup(object) === group;
}

export function nameOf(object: KubeObject): string {
  return object.metadata?.name ?? '(unnamed)';
}

/** Objects without a namespace land in `default` when applied, so rules treat them as living there. */
export function namespaceOf(object: KubeObject): string {
  return object.metadata?.namespace ?? 'default';
}

/** `Kind namespace/name`, the way an operator would search for the object. */
export function describe(object: KubeObject): string {
  const name = object.metadata?.namespace ? `${object.metadata.namespace}/${nameOf(object)}` : nameOf(object);
  return `${object.kind} ${name}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that is an object with `apiVersion` and `kind` strings. */
export function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}
