import { mesh, otel } from '../contract.js';
import { serviceHost } from './cluster-dns.js';

/**
 * What the mesh has every sidecar (istio-proxy) in our pods call, besides the app's own traffic. A pod's
 * NetworkPolicy governs its sidecar too, so these are egress of the pod like any other; the platform's istiod
 * values are built from the same addresses (infra/src/platform.ts), so the policy follows the mesh.
 */
export const meshSidecar = {
  /**
   * xDS and certificates from istiod. istio/istio@1.30.3 pkg/config/mesh/mesh.go: the default proxy config's
   * discoveryAddress is `istiod.istio-system.svc:15012`.
   */
  discoveryUrl: `grpc://istiod.${mesh.istioNamespace}.svc:15012`,
  /**
   * Spans, to the mesh's OpenTelemetry tracing provider. istio/istio@1.30.3
   * pilot/pkg/networking/core/tracing.go exports over OTLP/gRPC unless the provider sets `http`, so this is
   * the collector's gRPC port, whatever protocol the app itself uses.
   */
  tracing: { host: serviceHost(otel.service, otel.namespace), port: otel.otlpGrpcPort },
} as const;

/** The sidecar's tracing destination as a URL, the form every other destination is derived from. */
export const meshTracingUrl = `grpc://${meshSidecar.tracing.host}:${meshSidecar.tracing.port}`;
