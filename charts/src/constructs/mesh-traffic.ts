import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import { mesh, service } from '../contract.js';
import { serviceHost } from '../runtime/cluster-dns.js';
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

/** How traffic reaches the service: routed from the stage's gateway, pooled and ejected per destination. */
export class MeshTraffic extends Construct {
  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id);
    const host = serviceHost(service.name, service.namespace);
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
            name: 'api',
            route: [{ destination: { host, port: { number: service.port } } }],
            timeout: env.mesh.requestTimeout,
            retries: retryPolicy(env.mesh.retries),
          },
        ],
      },
    });

    const { connectionPool, outlierDetection } = env.mesh;
    new IstioObject<DestinationRuleSpec>(this, 'destination-rule', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      name: service.name,
      labels,
      spec: {
        host,
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
    });
  }
}
