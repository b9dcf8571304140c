/**
 * A container image reference split the way the container runtime resolves it
 * (distribution/reference normalization: no registry means docker.io, no namespace on docker.io means library/).
 */
export interface ImageReference {
  /** As written. */
  raw: string;
  registry: string;
  /** Path inside the registry, e.g. `library/redis` or `cloudnative-pg/cloudnative-pg`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(raw: string): ImageReference {
  const [name = '', digest] = raw.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const path = colon > slash ? name.slice(0, colon) : name;
  const [first = '', ...rest] = path.split('/');
  const hasRegistry =
    rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? rest.join('/') : path;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { raw, registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `registry/repository`, the name a deny list matches. */
export const imageName = (image: ImageReference) => `${image.registry}/${image.repository}`;
