/** The parts of a container image reference that rules care about: `[registry/]repository[:tag][@digest]`. */
export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const named = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  // A colon before the last slash belongs to a registry port (registry:5000/app), not to a tag.
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

const sha256Digest = /^sha256:[a-f0-9]{64}$/;

export function isPinnedDigest(digest: string | undefined): boolean {
  return digest !== undefined && sha256Digest.test(digest);
}
