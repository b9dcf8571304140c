import { service } from '../contract.js';

/**
 * Names the canary release and the mesh routing must agree on: Argo Rollouts moves the weights of the route
 * named `canaryRouteName` between the stable Service and `canaryServiceName`, and refuses a route that lacks
 * either (argoproj/argo-rollouts@v1.9.0 rollout/trafficrouting/istio/istio.go ValidateHTTPRoutes).
 */
export const canaryServiceName = `${service.name}-canary`;
export const canaryRouteName = 'api';
