import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy';
import type { IRequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/RequestAuthentication';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { environments } from '../src/config/environments.js';
import { configMapName } from '../src/constructs/app-config-map.js';
import { canaryServiceName } from '../src/constructs/canary-names.js';
import { internalPathPrefix, retryPolicy } from '../src/constructs/mesh-traffic.js';
import { mesh, monitoring, service } from '../src/contract.js';
import type { KubeObject } from '../src/synth/synth-environment.js';
import { only, synthesized } from './support/fixtures.js';

const as = <T>(o: KubeObject) => o as unknown as T;
const fqdn = `${service.name}.${service.namespace}.svc.cluster.local`;

describe.each(synthesized.map((r) => [r.env, r] as const))('%s mesh', (env, result) => {
  it(`uses ${env === 'local' ? 'PERMISSIVE' : 'STRICT'} mTLS for the API and the worker`, () => {
    for (const name of [service.name, service.worker.name]) {
      expect(only(result, 'PeerAuthentication', name).spec, name).toMatchObject({
        mtls: { mode: env === 'local' ? 'PERMISSIVE' : 'STRICT' },
      });
    }
  });

  it('selects each workload’s pods by the labels its Deployment gives them', () => {
    for (const name of [service.name, service.worker.name]) {
      const template = (
        only(result, 'Deployment', name).spec as { template: { metadata: { labels: object } } }
      ).template;
      for (const kind of ['PeerAuthentication', 'AuthorizationPolicy']) {
        const selector = (only(result, kind, name).spec as { selector: { matchLabels: object } }).selector;
        expect(template.metadata.labels, `${kind}/${name}`).toMatchObject(selector.matchLabels);
      }
    }
  });

  it('lets only the scraper call the worker, on GET /metrics', () => {
    const policy = as<IAuthorizationPolicy>(only(result, 'AuthorizationPolicy', service.worker.name));
    const scraper = `cluster.local/ns/${monitoring.namespace}/sa/${monitoring.scraperServiceAccount}`;
    expect(policy.spec?.action).toBe('ALLOW');
    expect(policy.spec?.rules).toEqual([
      {
        from: [{ source: { principals: [scraper] } }],
        to: [{ operation: { methods: ['GET'], paths: [service.paths.metrics] } }],
      },
    ]);
  });

  it('allows only the ingress gateway, and the scraper on GET /metrics', () => {
    const policy = as<IAuthorizationPolicy>(only(result, 'AuthorizationPolicy', service.name));
    expect(policy.spec?.action).toBe('ALLOW');
    const principals = policy.spec?.rules?.flatMap(
      (r) => r.from?.flatMap((f) => f.source?.principals ?? []) ?? [],
    );
    expect(principals?.sort()).toEqual(
      [
        `cluster.local/ns/${mesh.ingressNamespace}/sa/${mesh.ingressServiceAccount}`,
        `cluster.local/ns/${monitoring.namespace}/sa/${monitoring.scraperServiceAccount}`,
      ].sort(),
    );
    const scraper = policy.spec?.rules?.find((r) =>
      r.from?.[0]?.source?.principals?.[0]?.includes(monitoring.namespace),
    );
    expect(scraper?.to?.[0]?.operation).toEqual({ methods: ['GET'], paths: [service.paths.metrics] });
  });

  it('checks JWTs against the keys the service publishes, through the gateway hosts it routes', () => {
    const auth = as<IRequestAuthentication>(only(result, 'RequestAuthentication'));
    const rule = auth.spec?.jwtRules?.[0];
    const jwks = new URL(rule!.jwksUri!);
    expect(jwks.pathname).toBe(service.paths.jwks);
    expect(as<IVirtualService>(only(result, 'VirtualService')).spec?.hosts).toContain(jwks.hostname);
    expect(rule?.forwardOriginalToken).toBe(true);
  });

  it('expects the issuer and audience the service signs its tokens with', () => {
    const rule = as<IRequestAuthentication>(only(result, 'RequestAuthentication')).spec?.jwtRules?.[0];
    const settings = as<IConfigMap>(only(result, 'ConfigMap', configMapName)).data!;
    expect(rule?.issuer).toBe(settings.JWT_ISSUER);
    expect(rule?.audiences).toEqual([settings.JWT_AUDIENCE]);
  });

  it('routes the stage gateway to the service port, never retrying requests that reached the app', () => {
    const vs = as<IVirtualService>(only(result, 'VirtualService'));
    expect(vs.spec?.gateways).toEqual([mesh.gateway]);
    expect(vs.spec?.hosts).toEqual(environments[env].mesh.hosts);
    const route = vs.spec?.http?.find((r) => r.name === 'api');
    expect(route?.route?.[0]?.destination).toEqual({ host: fqdn, port: { number: service.port } });
    expect(route?.retries?.retryOn ?? '').not.toMatch(/5xx|gateway-error/);
  });

  it('retries only as the stage says, and says nothing more when retries are off', () => {
    const { attempts, perTryTimeout } = environments[env].mesh.retries;
    const retries = as<IVirtualService>(only(result, 'VirtualService')).spec?.http?.find(
      (r) => r.name === 'api',
    )?.retries;
    // istiod rejects perTryTimeout/retryOn beside attempts 0 (validateHTTPRetry, istio/istio@1.30).
    if (attempts === 0) expect(retries).toEqual({ attempts: 0 });
    else expect(retries).toMatchObject({ attempts, perTryTimeout, retryOn: expect.any(String) });
  });

  // Security review finding 17: readiness is for the kubelet; the gateway answers 404 before any route forwards.
  it('answers the health routes at the gateway with 404, before the route that forwards', () => {
    const [first, ...rest] = as<IVirtualService>(only(result, 'VirtualService')).spec?.http ?? [];
    expect(first).toEqual({
      name: 'internal-not-routed',
      match: [{ uri: { prefix: '/api/v1/health/' }, ignoreUriCase: true }],
      directResponse: { status: 404 },
    });
    for (const path of [service.paths.ready, service.paths.live])
      expect(path.startsWith('/api/v1/health/')).toBe(true);
    expect(rest.map((r) => r.name)).toEqual(['api']);
  });

  it('bounds connections and ejects failing endpoints', () => {
    const dr = as<IDestinationRule>(only(result, 'DestinationRule', service.name));
    expect(dr.spec?.host).toBe(fqdn);
    expect(dr.spec?.trafficPolicy?.connectionPool?.tcp?.maxConnections).toBeGreaterThan(0);
    expect(dr.spec?.trafficPolicy?.connectionPool?.http?.http1MaxPendingRequests).toBeGreaterThan(0);
    expect(dr.spec?.trafficPolicy?.outlierDetection?.consecutive5xxErrors).toBeGreaterThan(0);
    expect(dr.spec?.trafficPolicy?.outlierDetection?.baseEjectionTime).toBeTruthy();
  });

  it('gives the canary Service the same traffic policy as the stable one, where there is a canary', () => {
    const canary = result.objects.filter(
      (o) => o.kind === 'DestinationRule' && o.metadata.name !== service.name,
    );
    if (!environments[env].canary.enabled) {
      expect(canary).toEqual([]);
      return;
    }
    const stable = as<IDestinationRule>(only(result, 'DestinationRule', service.name));
    const rule = as<IDestinationRule>(only(result, 'DestinationRule', canaryServiceName));
    expect(rule.spec?.host).toBe(`${canaryServiceName}.${service.namespace}.svc.cluster.local`);
    expect(rule.spec?.trafficPolicy).toEqual(stable.spec?.trafficPolicy);
  });
});

describe('internal path prefix', () => {
  it('is the directory both health routes share', () => {
    expect(internalPathPrefix({ live: '/api/v1/health/live', ready: '/api/v1/health/ready' })).toBe(
      '/api/v1/health/',
    );
  });

  it('refuses health routes that do not share it (the gateway would route one of them)', () => {
    expect(() => internalPathPrefix({ live: '/livez', ready: '/api/v1/health/ready' })).toThrow(
      '/livez is not under /api/v1/health/',
    );
  });
});

describe('retry policy', () => {
  it('is attempts 0 alone when retries are off, whatever per-try timeout the stage carries', () => {
    expect(retryPolicy({ attempts: 0, perTryTimeout: '30s' })).toEqual({ attempts: 0 });
  });

  it('retries only failures where the request never reached the app', () => {
    expect(retryPolicy({ attempts: 2, perTryTimeout: '5s' })).toEqual({
      attempts: 2,
      perTryTimeout: '5s',
      retryOn: 'connect-failure,refused-stream,reset',
    });
  });
});
