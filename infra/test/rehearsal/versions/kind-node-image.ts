import type { Finding } from '../findings.js';

/** Every kind node image a Terraform file names (as `node_image = "..."`, a variable default, anywhere). */
export function terraformNodeImages(hcl: string): string[] {
  return [...hcl.matchAll(/"(kindest\/node:[^"]+)"/g)].map((m) => m[1]!);
}

/**
 * The local cluster's node image: Terraform must name the one charts/src/versions.ts pins, and that image (tag
 * and digest) must be one a kind release published as its default (upstream/kind@*\/default-node-images.json).
 */
export function kindNodeImageFindings(
  pinned: string,
  terraform: readonly { path: string; images: readonly string[] }[],
  published: Readonly<Record<string, string>>,
): Finding[] {
  const findings: Finding[] = terraform.flatMap(({ path, images }) =>
    images
      .filter((image) => image !== pinned)
      .map((image) => ({
        subject: 'kind node image',
        path,
        message: `names ${image}, but charts/src/versions.ts pins ${pinned}`,
        source: 'charts/src/versions.ts kindNodeImage',
      })),
  );
  if (!terraform.some(({ images }) => images.includes(pinned))) {
    findings.push({
      subject: 'kind node image',
      path: 'terraform/',
      message: `no Terraform file creates the local cluster with ${pinned}`,
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
