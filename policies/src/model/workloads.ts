import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { apiGroup, isRecord, type KubeObject } from './kube-object.js';

/** Read from untrusted manifests: even `containers` may be missing. */
export type PodSpec = Partial<IPodSpec>;

/** A pod template found inside a workload object, with the labels its pods will carry. */
export interface PodTemplate {
  spec: PodSpec;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Jobs run to completion: no readiness to report and nothing to keep available. */
  runsToCompletion: boolean;
}

export interface NamedContainer {
  container: IContainer;
  /** `container "app"` or `init container "wait"`, for messages. */
  label: string;
}

const longRunning = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** Kinds that keep a number of pods running and can be scaled or disrupted. */
export function isScalableWorkload(object: KubeObject): boolean {
  return apiGroup(object) === 'apps' && (object.kind === 'Deployment' || object.kind === 'StatefulSet');
}

export function podTemplateOf(object: KubeObject): PodTemplate | undefined {
  const group = apiGroup(object);
  if (object.kind === 'Pod' && group === '') {
    return template(object.spec, object.metadata ?? {}, false);
  }
  if (group === 'apps' && longRunning.has(object.kind)) {
    return templateIn(field(object.spec, 'template'), false);
  }
  if (group === 'batch' && object.kind === 'Job') {
    return templateIn(field(object.spec, 'template'), true);
  }
  if (group === 'batch' && object.kind === 'CronJob') {
    return templateIn(field(field(field(object.spec, 'jobTemplate'), 'spec'), 'template'), true);
  }
  return undefined;
}

/** Every container of a pod, init and ephemeral ones included: each runs code in the pod. */
export function containersOf(spec: PodSpec): NamedContainer[] {
  return [
    ...(spec.initContainers ?? []).map((c) => ({ container: c, label: `init container "${c.name}"` })),
    ...(spec.containers ?? []).map((c) => ({ container: c, label: `container "${c.name}"` })),
    ...(spec.ephemeralContainers ?? []).map((c) => ({
      container: c as IContainer,
      label: `ephemeral container "${c.name}"`,
    })),
  ];
}

/** Containers the kubelet keeps running: app containers and native sidecars (restartPolicy Always). */
export function longRunningContainersOf(spec: PodSpec): NamedContainer[] {
  const sidecars = (spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [
    ...sidecars.map((c) => ({ container: c, label: `sidecar container "${c.name}"` })),
    ...(spec.containers ?? []).map((c) => ({ container: c, label: `container "${c.name}"` })),
  ];
}

function templateIn(podTemplate: unknown, runsToCompletion: boolean): PodTemplate | undefined {
  return template(field(podTemplate, 'spec'), field(podTemplate, 'metadata'), runsToCompletion);
}

function template(spec: unknown, metadata: unknown, runsToCompletion: boolean): PodTemplate | undefined {
  if (!isRecord(spec)) return undefined;
  return {
    spec: spec as PodSpec,
    labels: stringMap(field(metadata, 'labels')),
    annotations: stringMap(field(metadata, 'annotations')),
    runsToCompletion,
  };
}

function stringMap(value: unknown): Record<string, string> {
  return isRecord(value) ? (value as Record<string, string>) : {};
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}
