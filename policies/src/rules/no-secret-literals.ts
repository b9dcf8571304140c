import { isKind, isRecord, type KubeObject } from '../model/kube-object.js';
import type { ObjectRule } from '../model/rule.js';
import { secretReason } from '../model/secret-detection.js';
import { containersOf, podTemplateOf } from '../model/workloads.js';

export const noSecretLiterals: ObjectRule = {
  scope: 'object',
  name: 'no-secret-literals',
  description:
    'No secret values in container env literals or ConfigMaps: manifests are committed, diffed and logged, ' +
    'so secrets come from Vault at run time instead.',
  severity: 'critical',
  remediation:
    'Remove the value from the manifest, store it in Vault KV under the service path, and let the service ' +
    'read it through its Kubernetes auth role; rotate the exposed secret.',
  check(object) {
    if (isKind(object, '', 'ConfigMap')) return configMapProblems(object);
    const template = podTemplateOf(object);
    if (!template) return [];
    return containersOf(template.spec).flatMap(({ container, label }) =>
      (container.env ?? []).flatMap(({ name, value }) => {
        const reason = typeof value === 'string' ? secretReason(name, value) : undefined;
        return reason ? [`${label}: env ${name} is a literal secret (${reason})`] : [];
      }),
    );
  },
};

function configMapProblems(object: KubeObject): string[] {
  const entries = [object.data, object.binaryData].flatMap((section) =>
    isRecord(section) ? Object.entries(section) : [],
  );
  return entries.flatMap(([key, value]) => {
    const reason = typeof value === 'string' ? secretReason(key, value) : undefined;
    return reason ? [`key ${key} holds a secret (${reason})`] : [];
  });
}
