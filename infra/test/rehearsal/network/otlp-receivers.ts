import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { asConnectionUrl } from './destinations.js';
import { kubeObjects } from './kube-objects.js';
import { containerEnvironment, podTemplates } from './pod-templates.js';

type OtlpProtocol = 'grpc' | 'http';

interface CollectorValues {
  fullnameOverride?: string;
  config?: {
    receivers?: { otlp?: { protocols?: Partial<Record<OtlpProtocol, { endpoint?: string } | null>> } };
  };
}

/**
 * The OTLP receivers of the collector release: which port speaks which protocol, from the release's values over
 * the chart's defaults (upstream/opentelemetry-collector@<version>/values.yaml: grpc on 4317, http on 4318).
 */
function collectorReceivers(
  resources: readonly RegisteredResource[],
  chartDefaults: Readonly<Record<OtlpProtocol, number>>,
): { hosts: string[]; ports: Partial<Record<OtlpProtocol, number>> } | undefined {
  const release = resources.find(
    (r) =>
      r.type === 'kubernetes:helm.sh/v3:Release' &&
      /(^|\/)opentelemetry-collector$/.test(String(r.inputs.chart)),
  );
  if (!release) return undefined;
  const values = (release.inputs.values ?? {}) as CollectorValues;
  const name = values.fullnameOverride ?? String(release.inputs.name);
  const namespace = String(release.inputs.namespace ?? 'default');
  const protocols = values.config?.receivers?.otlp?.protocols;
  const ports: Partial<Record<OtlpProtocol, number>> = {};
  for (const protocol of ['grpc', 'http'] as const) {
    const configured = protocols?.[protocol];
    if (configured === null) continue;
    const port = configured?.endpoint
      ? Number(/:(\d+)$/.exec(configured.endpoint)?.[1])
      : chartDefaults[protocol];
    if (port) ports[protocol] = port;
  }
  const hosts = [
    `${name}.${namespace}`,
    `${name}.${namespace}.svc`,
    `${name}.${namespace}.svc.cluster.local`,
  ];
  return { hosts, ports };
}

/**
 * A process exporting OTLP must send to the collector port that speaks its protocol: gRPC to the grpc receiver,
 * http/protobuf to the http one. The app reads OTEL_EXPORTER_OTLP_PROTOCOL, http/protobuf when unset
 * (app/src/config/telemetry-settings.ts); NetworkPolicy alone cannot tell a port that is open from one that
 * answers in the protocol the exporter speaks.
 */
export function otlpProtocolFindings(
  resources: readonly RegisteredResource[],
  chartDefaults: Readonly<Record<OtlpProtocol, number>>,
): Finding[] {
  const receivers = collectorReceivers(resources, chartDefaults);
  if (!receivers) return [];
  const objects = kubeObjects(resources);
  return podTemplates(objects).flatMap((pod) =>
    pod.containers.flatMap((container): Finding[] => {
      const env = containerEnvironment(container, pod.namespace, objects);
      const url = env.OTEL_EXPORTER_OTLP_ENDPOINT
        ? asConnectionUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT)
        : undefined;
      if (!url || !receivers.hosts.includes(url.hostname)) return [];
      const protocol: OtlpProtocol = env.OTEL_EXPORTER_OTLP_PROTOCOL === 'grpc' ? 'grpc' : 'http';
      const expected = receivers.ports[protocol];
      if (Number(url.port) === expected) return [];
      return [
        {
          subject: pod.subject,
          path: `container ${container.name} OTEL_EXPORTER_OTLP_ENDPOINT`,
          message: `exports OTLP/${protocol} to port ${url.port || '(default)'}, but the collector's ${protocol} receiver listens on ${expected ?? 'no port'}`,
          source:
            'open-telemetry/opentelemetry-helm-charts opentelemetry-collector values.yaml (config.receivers.otlp.protocols)',
        },
      ];
    }),
  );
}
