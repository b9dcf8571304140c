import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TelemetrySettings } from '../../config/telemetry-settings.js';

// The Kubernetes downward API hands these to the container (see the Deployment's env).
const downwardApi = {
  K8S_POD_NAME: 'k8s.pod.name',
  K8S_POD_UID: 'k8s.pod.uid',
  K8S_NAMESPACE_NAME: 'k8s.namespace.name',
  K8S_NODE_NAME: 'k8s.node.name',
} as const;

/** Who emits the spans: service, version, tier, and the pod when running in Kubernetes. */
export function serviceResource(
  settings: Pick<TelemetrySettings, 'serviceName' | 'serviceVersion' | 'tier'>,
  env: Readonly<Record<string, string | undefined>>,
): Resource {
  const attributes: Record<string, string> = {
    [ATTR_SERVICE_NAME]: settings.serviceName,
    [ATTR_SERVICE_VERSION]: settings.serviceVersion,
    // Both spellings: the stable name and the one most collectors and backends still key on.
    'deployment.environment.name': settings.tier,
    'deployment.environment': settings.tier,
  };
  for (const [variable, attribute] of Object.entries(downwardApi)) {
    const value = env[variable];
    if (value) attributes[attribute] = value;
  }
  return resourceFromAttributes(attributes);
}

/** The configured service name, merged last: it wins over a `service.name` in OTEL_RESOURCE_ATTRIBUTES. */
export const serviceNameResource = (settings: Pick<TelemetrySettings, 'serviceName'>): Resource =>
  resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName });
