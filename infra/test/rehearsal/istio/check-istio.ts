import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { checkIstioObjects, istioObjectsOf } from './check-istio-objects.js';
import { checkGatewayBindings } from './gateway-binding.js';
import { checkMeshProviders } from './mesh-providers.js';

/**
 * Every Istio check over what a stage's program registers: each object against istiod's webhook rules, routes
 * against the Gateways they bind to, Telemetry against istiod's extension providers.
 */
export function checkIstio(resources: readonly RegisteredResource[]): Finding[] {
  const objects = istioObjectsOf(resources);
  return [...checkIstioObjects(objects), ...checkGatewayBindings(objects), ...checkMeshProviders(resources)];
}
