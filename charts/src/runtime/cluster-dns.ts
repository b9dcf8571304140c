/** In-cluster DNS names, the only spelling of `svc.cluster.local` in the charts. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}

/**
 * The full name (`<name>.<namespace>.svc.cluster.local`) of an in-cluster service host written in full or as
 * `<name>.<namespace>.svc`, or undefined for a host outside the cluster.
 */
export function canonicalServiceHost(host: string): string | undefined {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
  return match ? serviceHost(match[1]!, match[2]!) : undefined;
}

/** The namespace of an in-cluster service host (`<name>.<namespace>.svc[.cluster.local]`), or undefined. */
export function namespaceOfServiceHost(host: string): string | undefined {
  return canonicalServiceHost(host)?.split('.')[1];
}
