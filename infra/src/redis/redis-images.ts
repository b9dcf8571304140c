/**
 * Images Redis runs, pinned by version and by digest (the platform's image-pinned policy wants digests outside
 * local). Both are rebuilt upstream for security fixes; bump them here, re-taking the digest with
 * `docker buildx imagetools inspect <image>:<tag>`.
 *
 * - Valkey: the Linux Foundation fork of Redis 7.2 (BSD-3-Clause), wire-compatible with the ioredis client the
 *   service uses, published by the Valkey project as docker.io/valkey/valkey. 9.1.1 is the image the project's
 *   own chart runs (valkey-io/valkey-helm@valkey-0.11.0 valkey/Chart.yaml appVersion); the digest is the tag's
 *   index as public projects pin it.
 * - HAProxy 3.2 (LTS until 2030), the Docker Official image (runs as uid 99), the proxy in front of whichever
 *   node is master. Digest of the tag's index from docker-library/repo-info repos/haproxy/remote/3.2.24.md.
 */
export const redisImages = {
  valkey:
    'docker.io/valkey/valkey:9.1.1@sha256:70739f85ad2ee01a726a965584a0f94895f01b0c60b3cc8b0aeef11eaa6888cf',
  haproxy:
    'docker.io/library/haproxy:3.2.24@sha256:b89c23154f8c5df97f2bd06aceb69d2190ed97b46b35708edc104b659dce0eae',
} as const;
