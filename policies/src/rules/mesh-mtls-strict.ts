import { mesh } from '@platform/charts/contract';
import { apiGroup, type KubeObject, namespaceOf } from '../model/kube-object.js';
import { type LabelSelector, selects } from '../model/label-selector.js';
import type { SetRule, Violation } from '../model/rule.js';
import { isSharedStage } from '../model/stage-context.js';
import { type PodTemplate, podTemplateOf } from '../model/workloads.js';

interface PeerAuthenticationSpec {
  selector?: LabelSelector;
  mtls?: { mode?: string };
  portLevelMtls?: Record<string, { mode?: string }>;
}

const injectionSwitch = 'sidecar.istio.io/inject';

export const meshMtlsStrict: SetRule = {
  scope: 'set',
  name: 'mesh-mtls-strict',
  description:
    'Outside local, every Istio PeerAuthentication is STRICT (ports included) and the pods of every meshed ' +
    "workload are covered by a STRICT PeerAuthentication: their own, their namespace's, or the mesh-wide one.",
  severity: 'critical',
  remediation: `Set spec.mtls.mode: STRICT on each PeerAuthentication and on every portLevelMtls entry; cover each meshed workload with one that selects its pods, one without a selector in its namespace, or a mesh-wide one in ${mesh.istioNamespace}.`,
  check(objects, context) {
    if (!isSharedStage(context)) return [];
    const authentications = objects.filter(isPeerAuthentication);
    return [...weakAuthentications(authentications), ...uncoveredWorkloads(objects, authentications)];
  },
};

function weakAuthentications(authentications: KubeObject[]): Violation[] {
  return authentications.flatMap((object) => {
    const spec = specOf(object);
    const weak = [
      ...(spec.mtls?.mode === 'STRICT' ? [] : [`mtls.mode is ${spec.mtls?.mode ?? 'unset'}, not STRICT`]),
      ...Object.entries(spec.portLevelMtls ?? {})
        .filter(([, port]) => port.mode !== 'STRICT')
        .map(([port, setting]) => `port ${port} mtls.mode is ${setting.mode ?? 'unset'}, not STRICT`),
    ];
    return weak.map((message) => ({ object, message }));
  });
}

function uncoveredWorkloads(objects: readonly KubeObject[], authentications: KubeObject[]): Violation[] {
  const strict = authentications.filter((object) => specOf(object).mtls?.mode === 'STRICT');
  return objects.flatMap((object) => {
    const template = podTemplateOf(object);
    if (!template || !isMeshed(template)) return [];
    const covered = strict.some((authentication) => covers(authentication, object, template));
    return covered
      ? []
      : [{ object, message: 'its pods join the mesh but no STRICT PeerAuthentication covers them' }];
  });
}

/** Istio's precedence: a workload selector, else the namespace-wide policy, else the mesh-wide one. */
function covers(authentication: KubeObject, workload: KubeObject, template: PodTemplate): boolean {
  const selector = specOf(authentication).selector;
  const namespace = namespaceOf(authentication);
  if (!hasLabels(selector)) return namespace === mesh.istioNamespace || namespace === namespaceOf(workload);
  return namespace === namespaceOf(workload) && selects(selector, template.labels);
}

/** Pods opted out of sidecar injection (e.g. a migration Job) cannot speak mTLS, so no policy applies. */
function isMeshed(template: PodTemplate): boolean {
  return (template.labels[injectionSwitch] ?? template.annotations[injectionSwitch]) !== 'false';
}

function isPeerAuthentication(object: KubeObject): boolean {
  return object.kind === 'PeerAuthentication' && apiGroup(object) === 'security.istio.io';
}

function specOf(object: KubeObject): PeerAuthenticationSpec {
  return (object.spec ?? {}) as PeerAuthenticationSpec;
}

function hasLabels(selector: LabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length > 0 || (selector?.matchExpressions ?? []).length > 0;
}
