/** Where a connection goes, as NetworkPolicy sees it: pods of a namespace, or an address outside the cluster. */
export interface Destination {
  /** Why the pod calls it, for the finding (`OTEL_EXPORTER_OTLP_ENDPOINT`, `the sidecar's ...`). */
  reason: string;
  host: string;
  /** In-cluster destinations only. */
  namespace?: string;
  /** Labels of the destination pods when they are the stage's own (behind one of its Services). */
  podLabels?: Record<string, string>;
  port: number;
  protocol: 'TCP' | 'UDP';
}

/** Ports clients use when a URL names none (each scheme's registered default). */
const defaultPorts: Readonly<Record<string, number>> = {
  'http:': 80,
  'https:': 443,
  'grpc:': 443,
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
};

/** A setting's value as a connection URL, or undefined when it is not one (a plain word, a path, a list). */
export function asConnectionUrl(value: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.hostname === '' ? undefined : url;
  } catch {
    return undefined;
  }
}

/**
 * The namespace a host resolves into: `<svc>.<ns>.svc[.cluster.local]`, or `<svc>.<ns>` when `<ns>` is a
 * namespace of the stage (the pod's DNS search path adds `svc.cluster.local`). Undefined: outside the cluster.
 */
export function namespaceOfHost(host: string, namespaces: ReadonlySet<string>): string | undefined {
  const full = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
  if (full) return full[1];
  const short = /^[a-z0-9-]+\.([a-z0-9-]+)$/.exec(host);
  return short && namespaces.has(short[1]!) ? short[1] : undefined;
}

export function destinationOf(
  reason: string,
  url: URL,
  namespaces: ReadonlySet<string>,
  servicePodLabels: ReadonlyMap<string, Record<string, string>>,
): Destination | undefined {
  const port = url.port === '' ? defaultPorts[url.protocol] : Number(url.port);
  if (port === undefined) return undefined;
  const namespace = namespaceOfHost(url.hostname, namespaces);
  const service = namespace ? url.hostname.split('.')[0] : undefined;
  const podLabels = service && namespace ? servicePodLabels.get(`${namespace}/${service}`) : undefined;
  return {
    reason,
    host: url.hostname,
    ...(namespace ? { namespace } : {}),
    ...(podLabels ? { podLabels } : {}),
    port,
    protocol: 'TCP',
  };
}
