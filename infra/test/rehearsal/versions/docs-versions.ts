import type { Finding } from '../findings.js';

export interface DocumentedVersions {
  kubernetesMinimum: string;
  kindNodeImage: string;
}

/**
 * What the docs claim about versions, checked against charts/src/versions.ts: a required cluster or kubectl
 * version ("Kubernetes 1.32+", "Kubernetes ≥ 1.32", "kubectl ≥ 1.32") must be the supported minimum, and a
 * kind node image named with its tag must be the pinned one. A feature's own first version belongs in prose
 * ("since Kubernetes 1.30"), which this does not read as a requirement.
 */
export function docsVersionFindings(
  documents: readonly { path: string; text: string }[],
  versions: DocumentedVersions,
): Finding[] {
  const pinnedTag = /kindest\/node:(v[0-9.]+)/.exec(versions.kindNodeImage)?.[1];
  return documents.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, index): Finding[] => {
      const where = `${path}:${index + 1}`;
      const requirements = [...line.matchAll(/\b(Kubernetes|kubectl)\s*(?:≥|>=)?\s*v?(1\.\d+)(\+)?/g)].filter(
        (m) => m[3] === '+' || /≥|>=/.test(m[0]),
      );
      const wrongRequirement = requirements
        .filter((m) => m[2] !== versions.kubernetesMinimum)
        .map((m) => ({
          subject: 'documented Kubernetes version',
          path: where,
          message: `"${m[0].trim()}" but the supported minimum is ${versions.kubernetesMinimum}`,
          source: 'charts/src/versions.ts kubernetes.minimum',
        }));
      const wrongImage = [...line.matchAll(/kindest\/node:(v[0-9.]+)/g)]
        .filter((m) => m[1] !== pinnedTag)
        .map((m) => ({
          subject: 'documented kind node image',
          path: where,
          message: `names ${m[0]} but the pinned node image is ${versions.kindNodeImage}`,
          source: 'charts/src/versions.ts kindNodeImage',
        }));
      return [...wrongRequirement, ...wrongImage];
    }),
  );
}
