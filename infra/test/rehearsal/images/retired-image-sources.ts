/**
 * Image sources that no longer receive updates (or no longer serve images at all). An image from one of them
 * either fails to pull or runs without security fixes. Each entry says why, with the announcement.
 */
export interface RetiredSource {
  /** Matched against `registry/repository` of the normalized reference. */
  prefix: string;
  reason: string;
}

const bitnamiAnnouncement = 'https://github.com/bitnami/containers/issues/83267';

export const retiredImageSources: readonly RetiredSource[] = [
  {
    prefix: 'docker.io/bitnami/',
    reason: `Bitnami removed its free versioned images from docker.io/bitnami between 2025-08-28 and 2025-09-29; tags pinned there no longer pull (${bitnamiAnnouncement})`,
  },
  {
    prefix: 'docker.io/bitnamilegacy/',
    reason: `bitnamilegacy is a frozen copy of the old Bitnami catalog: no updates, no security fixes (${bitnamiAnnouncement})`,
  },
  {
    prefix: 'k8s.gcr.io/',
    reason:
      'k8s.gcr.io was frozen on 2023-04-03; Kubernetes images are published only to registry.k8s.io (https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/)',
  },
  {
    prefix: 'gcr.io/google-containers/',
    reason:
      'the old Kubernetes project registry is frozen; images moved to registry.k8s.io (https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/)',
  },
];

export function retiredSourceOf(name: string): RetiredSource | undefined {
  return retiredImageSources.find(
    (source) => `${name}/`.startsWith(source.prefix) || name.startsWith(source.prefix),
  );
}
