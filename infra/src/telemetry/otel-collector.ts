import { otel } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { chartPins, releaseChart } from '../cluster/chart-pins.js';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import type { TelemetryConfig } from '../config/index.js';

/** In-cluster addresses of the collector; Istio needs them before the collector exists. */
export const collectorAddress = {
  host: `${otel.service}.${otel.namespace}.svc.cluster.local`,
  grpcPort: otel.otlpGrpcPort,
  httpPort: otel.otlpHttpPort,
} as const;

/** Collector pipeline config: OTLP in, memory limiter + k8s attributes + batch, the stage's exporter out. */
export function collectorConfig(config: TelemetryConfig) {
  const exporter =
    config.exporter.kind === 'debug'
      ? { name: 'debug', settings: { verbosity: 'basic' } }
      : {
          name: 'otlp',
          settings: { endpoint: config.exporter.endpoint, tls: { insecure: config.exporter.insecure } },
        };
  const pipeline = {
    receivers: ['otlp'],
    // memory_limiter first so a burst is refused before it is buffered; batch last, right before export.
    processors: ['memory_limiter', 'k8sattributes', 'batch'],
    exporters: [exporter.name],
  };
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `\${env:MY_POD_IP}:${otel.otlpGrpcPort}` },
          http: { endpoint: `\${env:MY_POD_IP}:${otel.otlpHttpPort}` },
        },
      },
      // The chart enables these by default; the platform only speaks OTLP.
      jaeger: null,
      zipkin: null,
      prometheus: null,
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: {},
    },
    exporters: { [exporter.name]: exporter.settings },
    service: { pipelines: { traces: pipeline, metrics: pipeline, logs: pipeline } },
  };
}

export interface OtelCollectorArgs {
  config: TelemetryConfig;
  /** The mesh must be up first so the collector's pods get a sidecar. */
  mesh: pulumi.Resource;
}

/** The OpenTelemetry Collector every workload and sidecar sends telemetry to. */
export class OtelCollector extends pulumi.ComponentResource {
  /** OTLP/HTTP endpoint for the service's OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly otlpHttpEndpoint: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: OtelCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:telemetry:OtelCollector', name, {}, opts);
    const namespace = meshNamespace(otel.namespace, 'enabled', { parent: this, dependsOn: [args.mesh] });

    this.release = new k8s.helm.v3.Release(
      'otel-collector',
      {
        ...releaseChart(chartPins.otelCollector),
        name: 'otel-collector',
        namespace: otel.namespace,
        values: {
          mode: 'deployment',
          fullnameOverride: otel.service,
          image: { repository: 'otel/opentelemetry-collector-k8s' },
          replicaCount: args.config.replicas,
          resources: args.config.resources,
          presets: { kubernetesAttributes: { enabled: true } },
          config: collectorConfig(args.config),
        },
      },
      { parent: this, dependsOn: [namespace, args.mesh] },
    );

    this.otlpHttpEndpoint = this.release.name.apply(
      () => `http://${collectorAddress.host}:${collectorAddress.httpPort}`,
    );
    this.registerOutputs({ otlpHttpEndpoint: this.otlpHttpEndpoint });
  }
}
