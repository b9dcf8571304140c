import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import { mesh, service } from '../contract.js';
import { serviceHost } from '../runtime/cluster-dns.js';
import { canaryRouteName, canaryServiceName } from './canary-names.js';
import { IstioObject } from './istio-object.js';
import { objectLabels } from './labels.js';

type VirtualServiceSpec = NonNullable<IVirtualService['spec']>;
type DestinationRuleSpec = NonNullable<IDestinationRule['spec']>;
type HTTPRetry = NonNullable<NonNullable<VirtualServiceSpec['http']>[number]['retries']>;

/**
 * The route's retry policy. Zero attempts is `{attempts: 0}` alone: istiod rejects a policy that sets
 * perTryTimeout or retryOn while attempts is 0 ("http retry policy configured when attempts are set to 0
 * (disabled)", istio/istio@1.30 pkg/config/validation/validation.go validateHTTPRetry), and leaving `retries`
 * out would give Istio's default of 2 attempts (pilot/pkg/networking/core/route/retry/retry.go ConvertPolicy).
 */
export function retryPolicy(retries: Environment['mesh']['retries']): HTTPRetry {
  if (retries.attempts === 0) return { attempts: 0 };
  return {
    attempts: retries.attempts,
    perTryTimeout: retries.perTryTimeout,
    // Only failures where the request never reached the app: retrying a 5xx could repeat a write.
    retryOn: 'connect-failure,refused-stream,reset',
  };
}

/**
 * The health routes' common prefix (`/api/v1/health/`): readiness and liveness are for the kubelet, not for the
 * internet. Readiness pings the database and Vault: through the gateway it would be an unthrottled way to load
 * them and a view of the service's dependencies (security review finding 17).
 */
export function internalPathPrefix(paths: { live: string; ready: string }): string {
  const prefix = paths.ready.slice(0, paths.ready.lastIndexOf('/') + 1);
  if (!paths.live.startsWith(prefix)) throw new Error(`${paths.live} is not under ${prefix}`);
  return prefix;
}

/**
 * The gateway's first route: the health routes answer 404 at the gateway and never reach a pod. `http` is "an
 * ordered list of route rules" (istio/istio@1.30.3 manifests/charts/base/files/crd-all.gen.yaml, VirtualService):
 * the first that matches wins, and a direct response needs no destination (pkg/config/validation/virtualservice.go
 * validateHTTPRouteConflict). Case is
 * ignored so no spelling slips past (the service also answers 404 to readiness requests that carry
 * Forwarded/X-Forwarded-* headers, which the gateway adds).
 */
export function internalRoutesBlocked(prefix: string) {
  return {
    name: 'internal-not-routed',
    match: [{ uri: { prefix }, ignoreUriCase: true }],
    directResponse: { status: 404 },
  };
}

/**
 * The API route's destinations. With a canary release the route names both the stable and the canary Service,
 * all weight on the stable one: Argo Rollouts moves the weights during a release and puts them back after it,
 * so what the chart applies is also the resting state.
 */
export function apiDestinations(env: Environment) {
  const destination = (name: string) => ({
    host: serviceHost(name, service.namespace),
    port: { number: service.port },
  });
  if (!env.canary.enabled) return [{ destination: destination(service.name) }];
  return [
    { destination: destination(service.name), weight: 100 },
    { destination: destination(canaryServiceName), weight: 0 },
  ];
}

/** How traffic reaches the service: routed from the stage's gateway, pooled and ejected per destination. */
export class MeshTraffic extends Construct {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id);
    const labels = objectLabels('api');

    new IstioObject<VirtualServiceSpec>(this, 'virtual-service', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      name: service.name,
      labels,
      spec: {
        hosts: [...env.mesh.hosts],
        gateways: [mesh.gateway],
        http: [
          internalRoutesBlocked(internalPathPrefix(service.paths)),
          {
            name: canaryRouteName,
            route: apiDestinations(env),
            timeout: env.mesh.requestTimeout,
            retries: retryPolicy(env.mesh.retries),
          },
        ],
      },
    });

    // The canary Service gets the same pool and ejection limits: its pods are the same service.
    const hosts = env.canary.enabled ? [service.name, canaryServiceName] : [service.name];
    for (const name of hosts) destinationRule(this, name, env, labels);
  }
}

function destinationRule(scope: Construct, name: string, env: Environment, labels: Record<string, string>) {
  const { connectionPool, outlierDetection } = env.mesh;
  new IstioObject<DestinationRuleSpec>(
    scope,
    name === service.name ? 'destination-rule' : `destination-rule-${name}`,
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      name,
      labels,
      spec: {
        host: serviceHost(name, service.namespace),
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          connectionPool: {
            tcp: { maxConnections: connectionPool.maxConnections, connectTimeout: '2s' },
            http: {
              http1MaxPendingRequests: connectionPool.http1MaxPendingRequests,
              maxRequestsPerConnection: connectionPool.maxRequestsPerConnection,
            },
          },
          outlierDetection: { ...outlierDetection },
        },
      },
    },
  );
}
