import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { isIstioObject, list, q, record, text } from './istio-object.js';
import { isIPAddress, validateFQDN, validateNamespaceSlashHost, validatePort } from './names.js';
import { cite } from './upstream-source.js';

const releaseType = 'kubernetes:helm.sh/v3:Release';

/**
 * The tracing path between Telemetry objects and istiod's mesh config, which no webhook sees:
 * - istiod validates meshConfig.extensionProviders when it loads the mesh config (names unique and set; an
 *   OpenTelemetry provider needs a port and a service that is a FQDN, an IP or `namespace/host`):
 *   istio/istio@1.30.3 pkg/config/validation/agent/extensionprovider.go validateExtensionProvider;
 * - a Telemetry's provider is looked up by name, case-insensitively, among those providers; an unknown name
 *   leaves tracing without a provider and no error anywhere (pilot/pkg/model/telemetry.go fetchProvider).
 */
export function checkMeshProviders(resources: readonly RegisteredResource[]): Finding[] {
  const istiod = resources.find((r) => r.type === releaseType && String(r.inputs.chart).endsWith('istiod'));
  if (!istiod) return [];
  const subject = `Release ${istiod.name}`;
  const providers = (list(record(record(istiod.inputs.values)?.meshConfig)?.extensionProviders) ?? []).map(
    (p) => record(p) ?? {},
  );
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [i, provider] of providers.entries()) {
    const name = text(provider.name);
    const reject = (message: string) =>
      findings.push({
        subject,
        path: `values.meshConfig.extensionProviders[${i}]`,
        message: `invalid extension provider ${name}: ${message}`,
        source: cite('extensionProvider', 'validateExtensionProvider'),
      });
    if (name === '') reject('empty extension provider name');
    else if (seen.has(name)) reject(`duplicate extension provider name ${name}`);
    seen.add(name);
    const otel = record(provider.opentelemetry);
    if (otel) {
      const portError = validatePort(typeof otel.port === 'number' ? otel.port : 0);
      if (portError) reject(portError);
      const serviceError = serviceProblem(text(otel.service));
      if (serviceError) reject(serviceError);
      if (otel.grpc !== undefined && otel.http !== undefined) {
        reject('OpenTelemetryTracingProvider cannot specify both grpc and http');
      }
    }
  }

  const known = new Set([...seen].map((n) => n.toLowerCase()));
  for (const resource of resources) {
    const telemetry = resource.inputs;
    if (!isIstioObject(telemetry) || telemetry.kind !== 'Telemetry') continue;
    for (const [i, tracing] of (list(record(telemetry.spec)?.tracing) ?? []).entries()) {
      const first = text(record(list(record(tracing)?.providers)?.[0])?.name);
      if (first !== '' && !known.has(first.toLowerCase())) {
        findings.push({
          subject: `${telemetry.apiVersion} Telemetry ${telemetry.metadata.namespace ?? ''}/${telemetry.metadata.name}`,
          path: `spec.tracing[${i}].providers[0].name`,
          message: `provider ${q(first)} is not among istiod's meshConfig.extensionProviders (${[...seen].join(', ') || 'none'}): tracing would have no provider`,
          source: cite('telemetryModel', 'fetchProvider'),
        });
      }
    }
  }
  return findings;
}

function serviceProblem(service: string): string | undefined {
  if (service === '') return 'service must not be empty';
  if (!service.includes('/')) {
    return validateFQDN(service) && !isIPAddress(service)
      ? `invalid service fmt ${service}: ${service} is not a valid IP`
      : undefined;
  }
  return validateNamespaceSlashHost(service, false)[0];
}
