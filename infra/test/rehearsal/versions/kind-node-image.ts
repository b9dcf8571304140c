import type { Finding } from '../findings.js';

/** The node_image argument in a Terraform file (terraform/kind/main.tf), or undefined. */
export function terraformNodeImage(hcl: string): string | undefined {
  return /^\s*node_image\s*=\s*"([^"]+)"/m.exec(hcl)?.[1];
}

/**
 * The local cluster's node image: Terraform must name the one charts/src/versions.ts pins, and that image (tag
 * and digest) must be one a kind release published as its default (upstream/kind@*\/default-node-images.json).
 */
export function kindNodeImageFindings(
  pinned: string,
  terraform: { path: string; image: string | undefined },
  published: Readonly<Record<string, string>>,
): Finding[] {
  const findings: Finding[] = [];
  if (terraform.image !== pinned) {
    findings.push({
      subject: 'kind node image',
      path: `${terraform.path} node_image`,
      message: `is ${terraform.image ?? '(not set)'}, but charts/src/versions.ts pins ${pinned}`,
      source: 'charts/src/versions.ts kindNodeImage',
    });
  }
  if (!Object.values(published).includes(pinned)) {
    findings.push({
      subject: 'kind node image',
      path: 'charts/src/versions.ts kindNodeImage',
      message: `${pinned} is not the default node image of any kind release in ${Object.keys(published).join(', ')} (tag and digest must match)`,
      source: 'kubernetes-sigs/kind pkg/apis/config/defaults/image.go at each release tag',
    });
  }
  return findings;
}
