import { service } from '../contract.js';

/** A container image reference, split the way registries and Kubernetes read it. */
export interface ImageReference {
  /** Exactly what goes into the manifests. */
  readonly ref: string;
  /** Registry and repository, without tag or digest (`ghcr.io/org/platform-api`). */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export class InvalidImageReference extends Error {
  override readonly name = 'InvalidImageReference';
}

// Distribution reference grammar, narrowed to what we deploy: lowercase path, optional tag, sha256 digest.
const repositoryPattern = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

/**
 * Committed manifests for digest-only environments are synthesized with this reference, never deployed with
 * it: Pulumi and `synth --image` substitute the digest CI built. All zeroes so a reviewer spots it at once.
 */
export const placeholderImage = `${service.image}@sha256:${'0'.repeat(64)}`;

/** The local cluster runs whatever Skaffold built; Skaffold swaps this tag for its own. */
export const localImage = `${service.image}:dev`;

/**
 * The version a pod reports (APP_VERSION: /health, telemetry's service.version): the tag the image was pushed
 * or loaded as (Skaffold's and CI's), or, for an image deployed by digest alone, the digest, which names
 * exactly the bytes that run.
 */
export function imageVersion(image: ImageReference): string {
  const version = image.tag ?? image.digest;
  if (version === undefined) throw new InvalidImageReference(`"${image.ref}" has neither tag nor digest`);
  return version;
}

export function isPlaceholderImage(ref: string): boolean {
  return ref === placeholderImage;
}

export function parseImageReference(ref: string, options: { requireDigest: boolean }): ImageReference {
  const [nameAndTag = '', digest, ...extra] = ref.split('@');
  if (extra.length > 0) throw new InvalidImageReference(`"${ref}" has more than one "@"`);
  const lastSlash = nameAndTag.lastIndexOf('/');
  const tagSeparator = nameAndTag.indexOf(':', lastSlash + 1);
  const repository = tagSeparator === -1 ? nameAndTag : nameAndTag.slice(0, tagSeparator);
  const tag = tagSeparator === -1 ? undefined : nameAndTag.slice(tagSeparator + 1);

  if (!repositoryPattern.test(repository)) {
    throw new InvalidImageReference(`"${ref}" does not name a repository (lowercase, e.g. ghcr.io/org/app)`);
  }
  if (tag !== undefined && !tagPattern.test(tag))
    throw new InvalidImageReference(`"${ref}" has an invalid tag`);
  if (digest !== undefined && !digestPattern.test(digest)) {
    throw new InvalidImageReference(`"${ref}" has an invalid digest (expected sha256:<64 hex>)`);
  }
  if (tag === 'latest' && digest === undefined) {
    throw new InvalidImageReference(`"${ref}" uses the mutable "latest" tag; pin a tag or a digest`);
  }
  if (tag === undefined && digest === undefined) {
    throw new InvalidImageReference(`"${ref}" has neither tag nor digest, which means "latest"; pin one`);
  }
  if (options.requireDigest && digest === undefined) {
    throw new InvalidImageReference(
      `"${ref}" is not pinned by digest; this environment deploys digests only`,
    );
  }
  return {
    ref,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}
