/**
 * Images Redis runs, pinned by version. Both are Docker Official / upstream-published images that receive
 * security rebuilds; bump them here.
 *
 * - Valkey: the Linux Foundation fork of Redis 7.2 (BSD-3-Clause), wire-compatible with the ioredis client the
 *   service uses, published by the Valkey project as docker.io/valkey/valkey. 9.1.1 is the image the project's
 *   own chart runs (valkey-io/valkey-helm@valkey-0.11.0 valkey/Chart.yaml appVersion).
 * - HAProxy 3.2 (LTS until 2030): the Docker Official image, the proxy in front of whichever node is master.
 */
export const redisImages = {
  valkey: 'docker.io/valkey/valkey:9.1.1',
  haproxy: 'docker.io/library/haproxy:3.2.19',
} as const;
