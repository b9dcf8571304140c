import { describe, expect, it } from 'vitest';
import { checkIstioObjects } from './check-istio-objects.js';
import { chartIstioObjects, finding, type Spec, TodaysObjects } from './planting.js';

// VirtualService: defects planted into today's local route (charts/dist/local), each with istiod's message.

const today = new TodaysObjects();
today.objects = chartIstioObjects();
const { plant } = today;

it('starts from copies istiod accepts, so each case fails for its planted defect alone', () => {
  expect(today.objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['VirtualService']));
  expect(checkIstioObjects(today.objects)).toEqual([]);
});

describe('VirtualService', () => {
  // The forwarding route, after the gateway's first route that answers the health paths itself.
  const route = (spec: Spec) => spec.http.find((r: Spec) => r.name === 'api');

  it('rejects the local route as it was: attempts 0 beside perTryTimeout and retryOn', () => {
    const findings = plant('VirtualService', (spec) => {
      route(spec).retries = {
        attempts: 0,
        perTryTimeout: '30s',
        retryOn: 'connect-failure,refused-stream,reset',
      };
    });
    expect(findings).toEqual([
      finding('spec.http[1].retries', 'http retry policy configured when attempts are set to 0 (disabled)'),
    ]);
    expect(findings[0]!.source).toBe(
      'istio/istio@1.30.3 pkg/config/validation/validation.go validateHTTPRetry',
    );
  });

  it('rejects attempts 0 with a per-try timeout alone, and a negative attempt count', () => {
    expect(
      plant('VirtualService', (spec) => {
        route(spec).retries = { attempts: 0, perTryTimeout: '2s' };
      }),
    ).toEqual([
      finding('spec.http[1].retries', 'http retry policy configured when attempts are set to 0 (disabled)'),
    ]);
    expect(
      plant('VirtualService', (spec) => {
        route(spec).retries = { attempts: -1 };
      }),
    ).toEqual([finding('spec.http[1].retries.attempts', 'attempts cannot be negative')]);
  });

  it('rejects a retry policy that leaves attempts out (it defaults to 0, retries off)', () => {
    expect(
      plant('VirtualService', (spec) => {
        route(spec).retries = { perTryTimeout: '2s', retryOn: 'reset' };
      }),
    ).toEqual([
      finding('spec.http[1].retries', 'http retry policy configured when attempts are set to 0 (disabled)'),
    ]);
  });

  it('rejects a retryOn policy Envoy does not know, and accepts named HTTP status codes', () => {
    expect(
      plant('VirtualService', (spec) => {
        route(spec).retries = {
          attempts: 2,
          perTryTimeout: '2s',
          retryOn: 'connect-failure,503,retry-everything',
        };
      }),
    ).toEqual([finding('spec.http[1].retries.retryOn', '"retry-everything" is not a valid retryOn policy')]);
  });

  it.each([
    ['30', 'bad Duration: time: missing unit in duration "30"'],
    ['1d', 'bad Duration: time: unknown unit "d" in duration "1d"'],
    ['soon', 'bad Duration: time: invalid duration "soon"'],
    ['500us', 'duration must be greater than 1ms'],
    ['0s', 'duration must be greater than 1ms'],
    ['1500us', 'only durations to ms precision are supported'],
  ])('rejects the route timeout %s', (timeout, message) => {
    expect(
      plant('VirtualService', (spec) => {
        route(spec).timeout = timeout;
      }),
    ).toEqual([finding('spec.http[1].timeout', message)]);
  });

  it('accepts the Go duration forms jsonpb parses (1m30s, 1.5s)', () => {
    expect(
      plant('VirtualService', (spec) => {
        route(spec).timeout = '1m30s';
      }),
    ).toEqual([]);
    expect(
      plant('VirtualService', (spec) => {
        route(spec).timeout = '1.5s';
      }),
    ).toEqual([]);
  });

  it('rejects destinations whose weights are all 0, and a negative weight', () => {
    const split = (weights: number[]) => (spec: Spec) => {
      const [first] = route(spec).route;
      route(spec).route = weights.map((weight) => ({ ...first, weight }));
    };
    expect(plant('VirtualService', split([0, 0]))).toEqual([
      finding('spec.http[1].route', 'total destination weight = 0'),
    ]);
    expect(plant('VirtualService', split([110, -10]))).toEqual([
      finding('spec.http[1].route[1].weight', 'weight -10 < 0'),
    ]);
  });

  it('accepts weights that do not sum to 100: istiod 1.30 no longer requires it (Envoy normalises them)', () => {
    expect(
      plant('VirtualService', (spec) => {
        const [first] = route(spec).route;
        route(spec).route = [
          { ...first, weight: 30 },
          { ...first, weight: 30 },
        ];
      }),
    ).toEqual([]);
  });

  it.each([
    ['istio-ingress/platform_gateway', 'invalid value for gateway name: "platform_gateway"'],
    ['istio_ingress/platform-gateway', 'invalid value for namespace: "istio_ingress"'],
    ['istio-ingress/platform-gateway/v2', 'invalid value for gateway name: "platform-gateway/v2"'],
    ['/platform-gateway', 'config namespace and gateway name cannot be empty'],
    ['platform_gateway', 'domain name "platform_gateway" invalid (label "platform_gateway" invalid)'],
  ])('rejects the gateway reference %s', (gateway, message) => {
    expect(
      plant('VirtualService', (spec) => {
        spec.gateways = [gateway];
      }),
    ).toContainEqual(finding('spec.gateways[0]', message));
  });

  it('rejects hosts istiod cannot route: a bad label, a duplicate, * on the mesh', () => {
    expect(
      plant('VirtualService', (spec) => {
        spec.hosts = ['api_v2.example.com'];
      }),
    ).toEqual([
      finding('spec.hosts[0]', 'domain name "api_v2.example.com" invalid (label "api_v2" invalid)'),
    ]);
    expect(
      plant('VirtualService', (spec) => {
        spec.hosts = ['*.example.com', 'api.example.com'];
      }),
    ).toEqual([finding('spec.hosts', 'duplicate hosts in virtual service: *.example.com & api.example.com')]);
    expect(
      plant('VirtualService', (spec) => {
        spec.hosts = ['*'];
        spec.gateways = ['mesh'];
      }),
    ).toEqual([
      finding(
        'spec.hosts[0]',
        'wildcard host * is not allowed for virtual services bound to the mesh gateway',
      ),
    ]);
  });

  it('rejects a route without destination, and a destination port out of range', () => {
    expect(
      plant('VirtualService', (spec) => {
        delete route(spec).route;
      }),
    ).toEqual([finding('spec.http[1]', 'HTTP route, redirect or direct_response is required')]);
    expect(
      plant('VirtualService', (spec) => {
        route(spec).route[0].destination.port.number = 70000;
      }),
    ).toEqual([
      finding(
        'spec.http[1].route[0].destination.port.number',
        'port number 70000 must be in the range 1..65535',
      ),
    ]);
  });

  it('rejects match, header, CORS and fault mistakes with istiod’s messages', () => {
    expect(
      plant('VirtualService', (spec) => {
        route(spec).match = [
          { method: { prefix: '' }, uri: { regex: '(?=api)' }, headers: { 'x y': { exact: '1' } } },
        ];
        route(spec).headers = {
          request: { set: { ':path': '/x' } },
          response: { add: { 'x-cost': '100%' } },
        };
        route(spec).corsPolicy = { allowMethods: ['FETCH'], maxAge: '1.5s', allowOrigins: [{ exact: '' }] };
        route(spec).fault = { abort: { httpStatus: 700, percentage: { value: 150 } } };
      }).map((f) => f.message),
    ).toEqual(
      expect.arrayContaining([
        'header name x y is not a valid header name',
        '"uri": error parsing regexp: invalid or unsupported Perl syntax; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)',
        '"method": prefix string match should not be empty',
        'invalid header ":path": header cannot have ":" prefix',
        'header value configuration: invalid header configuration. Un-escaped %',
        '"FETCH" is not a supported HTTP method',
        'max_age duration is accurate only to seconds precision',
        "'' is not a valid match type for CORS allow origins",
        'HTTP status 700 is not in range 200-599',
        'percentage 150 is neither 0.0, nor in range [0.0001, 100.0]',
      ]),
    );
  });
});
