import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import type { IRequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/RequestAuthentication';
import { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import { mesh, monitoring, service } from '../contract.js';
import { type AppSettings, requiredSetting } from '../runtime/app-settings.js';
import { IstioObject } from './istio-object.js';
import { type Component, objectLabels, selectorLabels } from './labels.js';

type PeerAuthenticationSpec = NonNullable<IPeerAuthentication['spec']>;
type AuthorizationPolicySpec = NonNullable<IAuthorizationPolicy['spec']>;
type RequestAuthenticationSpec = NonNullable<IRequestAuthentication['spec']>;

const principal = (namespace: string, serviceAccount: string) =>
  `cluster.local/ns/${namespace}/sa/${serviceAccount}`;

export const gatewayPrincipal = principal(mesh.ingressNamespace, mesh.ingressServiceAccount);
export const scraperPrincipal = principal(monitoring.namespace, monitoring.scraperServiceAccount);

/**
 * Who may talk to the service's meshed pods: mTLS per stage for the API and the worker; to the API only the
 * gateway and the scraper, with JWTs checked at the edge; to the worker only the scraper, on /metrics.
 */
export class MeshSecurity extends Construct {
  constructor(scope: Construct, id: string, env: Environment, settings: AppSettings) {
    super(scope, id);
    const labels = objectLabels('api');
    const selector = { matchLabels: selectorLabels('api') };

    this.peerAuthentication('peer-authentication', 'api', service.name, env);
    this.peerAuthentication('worker-peer-authentication', 'worker', service.worker.name, env);

    new IstioObject<AuthorizationPolicySpec>(this, 'authorization-policy', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      name: service.name,
      labels,
      spec: {
        selector,
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals: [gatewayPrincipal] } }],
            to: [{ operation: { notPaths: [service.paths.metrics] } }],
          },
          {
            from: [{ source: { principals: [scraperPrincipal] } }],
            to: [{ operation: { methods: ['GET'], paths: [service.paths.metrics] } }],
          },
        ],
      },
    });

    // Only the scraper, only GET /metrics: the worker's sidecar refuses every other inbound request. Probes
    // are unaffected: the sidecar agent rewrites them and calls the app on localhost, past this policy.
    new IstioObject<AuthorizationPolicySpec>(this, 'worker-authorization-policy', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      name: service.worker.name,
      labels: objectLabels('worker'),
      spec: {
        selector: { matchLabels: selectorLabels('worker') },
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals: [scraperPrincipal] } }],
            to: [{ operation: { methods: ['GET'], paths: [service.paths.metrics] } }],
          },
        ],
      },
    });

    new IstioObject<RequestAuthenticationSpec>(this, 'request-authentication', {
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      name: service.name,
      labels,
      spec: {
        selector,
        jwtRules: [
          {
            // The app signs with these; reading them from its settings keeps edge and app in agreement.
            issuer: requiredSetting(settings, 'JWT_ISSUER'),
            audiences: [requiredSetting(settings, 'JWT_AUDIENCE')],
            // istiod fetches the keys through the gateway: the pods accept no one else.
            jwksUri: new URL(service.paths.jwks, env.mesh.publicOrigin).toString(),
            // The app verifies the token again (jose) and needs the header Istio would otherwise strip.
            forwardOriginalToken: true,
          },
        ],
      },
    });
  }

  private peerAuthentication(id: string, component: Component, name: string, env: Environment): void {
    new IstioObject<PeerAuthenticationSpec>(this, id, {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      name,
      labels: objectLabels(component),
      spec: { selector: { matchLabels: selectorLabels(component) }, mtls: { mode: env.mesh.mtls } },
    });
  }
}
