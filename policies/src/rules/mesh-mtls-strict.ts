import { mesh } from '@platform/charts/contract';
import { apiGroup, type KubeObject, namespaceOf } from '../model/kube-object.js';
import type { SetRule, Violation } from '../model/rule.js';
import { isSharedStage } from '../model/stage-context.js';
import { podTemplateOf } from '../model/workloads.js';

interface PeerAuthenticationSpec {
  selector?: { matchLabels?: Record<string, string> };
  mtls?: { mode?: string };
  portLevelMtls?: Record<string, { mode?: string }>;
}

export const meshMtlsStrict: SetRule = {
  scope: 'set',
  name: 'mesh-mtls-strict',
  description:
    'Outside local, every Istio PeerAuthentication is STRICT (ports included) and every namespace that runs ' +
    'workloads is covered by a namespace-wide or mesh-wide STRICT PeerAuthentication.',
  severity: 'critical',
  remediation: `Set spec.mtls.mode: STRICT on each PeerAuthentication (and on every portLevelMtls entry); add one without a selector in the workload's namespace, or a mesh-wide one in ${mesh.istioNamespace}.`,
  check(objects, context) {
    if (!isSharedStage(context)) return [];
    const authentications = objects.filter(isPeerAuthentication);
    return [...weakAuthentications(authentications), ...uncoveredNamespaces(objects, authentications)];
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

function uncoveredNamespaces(objects: readonly KubeObject[], authentications: KubeObject[]): Violation[] {
  const strictWide = authentications.filter(
    (object) => specOf(object).mtls?.mode === 'STRICT' && !hasSelector(specOf(object)),
  );
  if (strictWide.some((object) => namespaceOf(object) === mesh.istioNamespace)) return [];
  const covered = new Set(strictWide.map(namespaceOf));
  const reported = new Set<string>();
  return objects.flatMap((object) => {
    const namespace = namespaceOf(object);
    if (!podTemplateOf(object) || covered.has(namespace) || reported.has(namespace)) return [];
    reported.add(namespace);
    return [
      {
        object,
        message: `namespace "${namespace}" has no STRICT namespace-wide or mesh-wide PeerAuthentication`,
      },
    ];
  });
}

function isPeerAuthentication(object: KubeObject): boolean {
  return object.kind === 'PeerAuthentication' && apiGroup(object) === 'security.istio.io';
}

function specOf(object: KubeObject): PeerAuthenticationSpec {
  return (object.spec ?? {}) as PeerAuthenticationSpec;
}

function hasSelector(spec: PeerAuthenticationSpec): boolean {
  return Object.keys(spec.selector?.matchLabels ?? {}).length > 0;
}
