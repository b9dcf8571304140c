/**
 * Where each istiod rule comes from. The rules were read at istio/istio tag 1.30.3, the newest 1.30 tag in the
 * source copy available when they were written; pkg/config/validation is unchanged from 1.30.3 to the head of
 * release-1.30 read then (b9a2bbd, 2026-08-21) except envoyfilter/, which nothing here uses. The charts are
 * pinned at 1.30.3 too (charts/src/versions.ts): re-read these files when the pin moves.
 */
export const istioSource = 'istio/istio@1.30.3';

const files = {
  validation: 'pkg/config/validation/validation.go',
  virtualService: 'pkg/config/validation/virtualservice.go',
  agent: 'pkg/config/validation/agent/validation.go',
  security: 'pkg/config/security/security.go',
  labels: 'pkg/config/labels/instance.go',
  host: 'pkg/config/host/name.go',
  protocol: 'pkg/config/protocol/instance.go',
  webhook: 'pkg/webhooks/validation/server/server.go',
  crds: 'manifests/charts/base/files/crd-all.gen.yaml',
  gatewayAnalyzer: 'pkg/config/analysis/analyzers/virtualservice/gateways.go',
  extensionProvider: 'pkg/config/validation/agent/extensionprovider.go',
  telemetryModel: 'pilot/pkg/model/telemetry.go',
} as const;

/** `istio/istio@1.30.3 <file> <function>`: the `source` of a finding. */
export function cite(file: keyof typeof files, fn: string): string {
  return `${istioSource} ${files[file]} ${fn}`;
}

/**
 * The webhook decodes `spec` with golang/protobuf's jsonpb (pkg/util/protomarshal ApplyJSON, via
 * pilot/pkg/config/kube/crd ConvertObject); durations are parsed there with Go's time.ParseDuration.
 */
export const jsonpbDuration =
  'github.com/golang/protobuf@v1.5.4 jsonpb/decode.go (Duration), as istiod 1.30.3 decodes specs';
