import semver from 'semver';
import type { Finding } from '../findings.js';

export interface ToolMinimum {
  command: string;
  minimum: string;
}

/**
 * The bring-up's tool minimums must follow the pinned versions: kind at least the release whose default node
 * image is pinned (a node image is built for its kind release: kubernetes-sigs/kind release notes), kubectl no
 * more than one minor older than the oldest supported cluster (Kubernetes version skew policy: kubectl is
 * supported within one minor version of kube-apiserver).
 */
export function toolMinimumFindings(
  tools: readonly ToolMinimum[],
  pinned: { kindNodeImage: string; kubernetesMinimum: string },
  published: Readonly<Record<string, string>>,
): Finding[] {
  const findings: Finding[] = [];
  const kindRelease = Object.entries(published).find(([, image]) => image === pinned.kindNodeImage)?.[0];
  const kind = tools.find((t) => t.command === 'kind');
  if (kind && kindRelease && semver.lt(kind.minimum, semver.coerce(kindRelease)!)) {
    findings.push({
      subject: 'bring-up tool kind',
      path: 'infra/local/tools.ts',
      message: `accepts kind ${kind.minimum}, but the pinned node image is kind ${kindRelease}'s`,
      source: 'upstream/kind@*/default-node-images.json',
    });
  }
  const kubectl = tools.find((t) => t.command === 'kubectl');
  const [major = 1, minor = 0] = pinned.kubernetesMinimum.split('.').map(Number);
  const oldestKubectl = `${major}.${minor - 1}.0`;
  if (kubectl && semver.lt(kubectl.minimum, oldestKubectl)) {
    findings.push({
      subject: 'bring-up tool kubectl',
      path: 'infra/local/tools.ts',
      message: `accepts kubectl ${kubectl.minimum}, more than one minor older than Kubernetes ${pinned.kubernetesMinimum}`,
      source: 'kubernetes.io version skew policy (kubectl: one minor of kube-apiserver)',
    });
  }
  return findings;
}
