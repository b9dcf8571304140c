import { beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { checkIstio } from './check-istio.js';
import { checkIstioObjects } from './check-istio-objects.js';
import { checkGatewayBindings } from './gateway-binding.js';
import type { IstioObject } from './istio-object.js';
import { checkMeshProviders } from './mesh-providers.js';
import { chartIstioObjects, finding, programIstioObjects, type Spec, TodaysObjects } from './planting.js';

// Across objects: routes and their Gateway, Telemetry and istiod's providers, and checkIstio as a whole.

const today = new TodaysObjects();
const { one } = today;
let prodResources: RegisteredResource[] = [];

beforeAll(async () => {
  const program = await programIstioObjects();
  today.objects = [...program.objects, ...chartIstioObjects()];
  prodResources = program.resources;
}, 120_000);

it('starts from copies istiod accepts, so each case fails for its planted defect alone', () => {
  expect(checkIstioObjects(today.objects)).toEqual([]);
});

describe('gateway bindings (istioctl analyze)', () => {
  /** The prod Gateway with a route for its own hosts: what the stage applies. */
  function bound(edit: (vs: IstioObject) => void = () => {}): Finding[] {
    const gateway = one('Gateway');
    const vs = one('VirtualService');
    (vs.spec as Spec).hosts = (gateway.spec as Spec).servers[0].hosts;
    edit(vs);
    return checkGatewayBindings([gateway, vs]);
  }

  it('accepts a route for a host its gateway serves', () => {
    expect(bound()).toEqual([]);
  });

  it('reports a route whose hosts its gateway does not serve (the gateway would answer 404)', () => {
    expect(
      bound((vs) => {
        (vs.spec as Spec).hosts = ['api.example.org'];
      }),
    ).toEqual([
      finding(
        'spec.gateways[0]',
        'one or more host [api.example.org] defined in VirtualService platform-api/platform-api not found in Gateway istio-ingress/platform-gateway.',
      ),
    ]);
  });

  it('reports a route bound to a gateway that does not exist', () => {
    expect(
      bound((vs) => {
        (vs.spec as Spec).gateways = ['istio-ingress/public-gateway'];
      }),
    ).toContainEqual(
      finding('spec.gateways[0]', 'Referenced gateway not found: "istio-ingress/public-gateway"'),
    );
  });
});

describe('tracing providers (istiod mesh config)', () => {
  /** A copy of prod's registered resources with one edit to the istiod release or the Telemetry. */
  function planted(
    edit: (istiodValues: Spec, telemetry: Spec) => void,
  ): ReturnType<typeof checkMeshProviders> {
    const resources = structuredClone(prodResources);
    const istiod = resources.find(
      (r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === 'istiod',
    )!;
    const telemetry = resources.find((r) => r.inputs.kind === 'Telemetry')!;
    edit(istiod.inputs.values as Spec, telemetry.inputs.spec as Spec);
    return checkMeshProviders(resources);
  }

  it('accepts prod as it is', () => {
    expect(planted(() => {})).toEqual([]);
  });

  it('reports a Telemetry naming a provider istiod does not define (tracing would silently stop)', () => {
    expect(
      planted((_values, telemetry) => {
        telemetry.tracing[0].providers = [{ name: 'otel' }];
      }),
    ).toEqual([
      finding(
        'spec.tracing[0].providers[0].name',
        /^provider "otel" is not among istiod's meshConfig.extensionProviders/,
      ),
    ]);
  });

  it('rejects an OpenTelemetry provider without port or service, and duplicate names', () => {
    expect(
      planted((values) => {
        const [provider] = values.meshConfig.extensionProviders;
        provider.opentelemetry = { service: '', port: 0 };
        values.meshConfig.extensionProviders.push({
          ...provider,
          opentelemetry: { service: 'observability/otel_collector.observability.svc', port: 4317 },
        });
      }).map((f) => f.message),
    ).toEqual([
      'invalid extension provider otel-collector: port number 0 must be in the range 1..65535',
      'invalid extension provider otel-collector: service must not be empty',
      'invalid extension provider otel-collector: duplicate extension provider name otel-collector',
      'invalid extension provider otel-collector: domain name "otel_collector.observability.svc" invalid (label "otel_collector" invalid)',
    ]);
  });
});

describe('checkIstio (every Istio check over a stage’s registered resources)', () => {
  it('reports object, binding and provider defects planted in one copy of prod', () => {
    const resources = structuredClone(prodResources);
    const telemetry = resources.find((r) => r.inputs.kind === 'Telemetry')!.inputs.spec as Spec;
    telemetry.tracing[0].randomSamplingPercentage = 101;
    telemetry.tracing[0].providers = [{ name: 'jaeger' }];
    const gateway = resources.find((r) => r.inputs.kind === 'Gateway')!.inputs.spec as Spec;
    for (const server of gateway.servers) server.hosts = ['other.example.com'];
    expect(checkIstio(prodResources)).toEqual([]);
    expect(checkIstio(resources).map((f) => f.message)).toEqual([
      'randomSamplingPercentage must be in range [0.0, 100.0]',
      expect.stringMatching(/^one or more host \[api\.platform\.example\.com\] defined in VirtualService/),
      expect.stringMatching(/^provider "jaeger" is not among istiod's meshConfig.extensionProviders/),
    ]);
  });
});
