import type { IContainer } from 'kubernetes-models/v1';
import type { ObjectRule } from '../model/rule.js';
import { containersOf, type PodSpec, podTemplateOf } from '../model/workloads.js';

const allowedAddedCapabilities = new Set(['NET_BIND_SERVICE']);
const confinedSeccompProfiles = new Set(['RuntimeDefault', 'Localhost']);

/** The Kubernetes "restricted" Pod Security Standard, checked on the manifest instead of at admission. */
export const podSecurityRestricted: ObjectRule = {
  scope: 'object',
  name: 'pod-security-restricted',
  description:
    'Every container runs as non-root with a read-only root filesystem, no privilege escalation, all ' +
    'capabilities dropped, a confined seccomp profile, and no host namespaces (Pod Security Standard "restricted").',
  severity: 'critical',
  remediation:
    'Set securityContext on each container: runAsNonRoot: true, readOnlyRootFilesystem: true, ' +
    'allowPrivilegeEscalation: false, privileged: false, capabilities.drop: [ALL], and seccompProfile.type: ' +
    'RuntimeDefault (pod or container level). Mount an emptyDir where the process must write.',
  check(object) {
    const template = podTemplateOf(object);
    if (!template) return [];
    return [
      ...hostNamespaceProblems(template.spec),
      ...containersOf(template.spec).flatMap(({ container, label }) =>
        containerProblems(template.spec, container).map((problem) => `${label}: ${problem}`),
      ),
    ];
  },
};

function hostNamespaceProblems(pod: PodSpec): string[] {
  const shared = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((field) => pod[field] === true);
  return shared.map((field) => `pod shares the node's namespace (${field}: true)`);
}

/** Container settings override pod settings, as the kubelet applies them. */
function containerProblems(pod: PodSpec, container: IContainer): string[] {
  const own = container.securityContext ?? {};
  const inherited = pod.securityContext ?? {};
  const problems: string[] = [];
  const runAsNonRoot = own.runAsNonRoot ?? inherited.runAsNonRoot;
  const runAsUser = own.runAsUser ?? inherited.runAsUser;
  if (runAsNonRoot !== true) problems.push('runAsNonRoot must be true');
  if (runAsUser === 0) problems.push('runAsUser must not be 0 (root)');
  if (own.privileged === true) problems.push('privileged must be false');
  if (own.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation must be false');
  if (own.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem must be true');
  if (!(own.capabilities?.drop ?? []).includes('ALL')) problems.push('capabilities.drop must include ALL');
  const added = (own.capabilities?.add ?? []).filter(
    (capability) => !allowedAddedCapabilities.has(capability),
  );
  if (added.length > 0)
    problems.push(`capabilities.add must be empty or NET_BIND_SERVICE (found ${added.join(', ')})`);
  const seccomp = own.seccompProfile?.type ?? inherited.seccompProfile?.type;
  if (!seccomp || !confinedSeccompProfiles.has(seccomp)) {
    problems.push(`seccompProfile.type must be RuntimeDefault or Localhost (found ${seccomp ?? 'none'})`);
  }
  return problems;
}
