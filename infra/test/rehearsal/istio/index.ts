export { checkIstio } from './check-istio.js';
export { checkIstioObjects, istioObjectsOf } from './check-istio-objects.js';
export { checkGatewayBindings } from './gateway-binding.js';
export { checkInternalPathsNotRouted } from './internal-paths.js';
export { checkMeshProviders } from './mesh-providers.js';
