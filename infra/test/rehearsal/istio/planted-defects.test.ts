import { beforeAll, describe, expect, it } from 'vitest';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { chartDistObjects } from './chart-dist.js';
import { checkIstio } from './check-istio.js';
import { checkIstioObjects, istioObjectsOf } from './check-istio-objects.js';
import { checkGatewayBindings } from './gateway-binding.js';
import type { IstioObject } from './istio-object.js';
import { checkMeshProviders } from './mesh-providers.js';

// Each case copies today's objects, plants one defect, and expects istiod's own message for it.

// biome-ignore lint/suspicious/noExplicitAny: planting edits arbitrary spec fields
type Spec = Record<string, any>;
let objects: IstioObject[] = [];
let prodResources: RegisteredResource[] = [];

beforeAll(async () => {
  // prod: the Gateway has its HTTPS server; charts/dist/local: today's local route (retries off).
  // The program's own mesh objects; the chart objects it applies come from charts/dist/local below.
  const { resources } = await mockPlatform('prod');
  prodResources = resources;
  const program = istioObjectsOf(resources.filter((r) => r.type !== 'kubernetes:yaml/v2:ConfigGroup'));
  const local = chartDistObjects('local').filter((o): o is IstioObject =>
    /\.istio\.io\//.test(String((o as IstioObject).apiVersion)),
  );
  objects = [...program, ...local];
}, 60_000);

function one(kind: string, name?: string): IstioObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return structuredClone(found[0]!);
}

/** Findings for a copy of one object with a defect planted in its spec. */
function plant(kind: string, edit: (spec: Spec, object: IstioObject) => void, name?: string): Finding[] {
  const object = one(kind, name);
  edit(object.spec as Spec, object);
  return checkIstioObjects([object]);
}

const finding = (path: string, message: string | RegExp) =>
  expect.objectContaining({
    path,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

describe('the copies start clean', () => {
  it('today’s objects have no findings, so each case below fails for its planted defect alone', () => {
    expect(checkIstioObjects(objects)).toEqual([]);
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'AuthorizationPolicy',
      'AuthorizationPolicy',
      'DestinationRule',
      'Gateway',
      'PeerAuthentication',
      'PeerAuthentication',
      'PeerAuthentication',
      'RequestAuthentication',
      'Telemetry',
      'VirtualService',
    ]);
  });
});

describe('VirtualService', () => {
  const route = (spec: Spec) => spec.http[0];

  it('rejects the local route as it was: attempts 0 beside perTryTimeout and retryOn', () => {
    const findings = plant('VirtualService', (spec) => {
      route(spec).retries = {
        attempts: 0,
        perTryTimeout: '30s',
        retryOn: 'connect-failure,refused-stream,reset',
      };
    });
    expect(findings).toEqual([
      finding('spec.http[0].retries', 'http retry policy configured when attempts are set to 0 (disabled)'),
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
      finding('spec.http[0].retries', 'http retry policy configured when attempts are set to 0 (disabled)'),
    ]);
    expect(
      plant('VirtualService', (spec) => {
        route(spec).retries = { attempts: -1 };
      }),
    ).toEqual([finding('spec.http[0].retries.attempts', 'attempts cannot be negative')]);
  });

  it('rejects a retry policy that leaves attempts out (it defaults to 0, retries off)', () => {
    expect(
      plant('VirtualService', (spec) => {
        route(spec).retries = { perTryTimeout: '2s', retryOn: 'reset' };
      }),
    ).toEqual([
      finding('spec.http[0].retries', 'http retry policy configured when attempts are set to 0 (disabled)'),
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
    ).toEqual([finding('spec.http[0].retries.retryOn', '"retry-everything" is not a valid retryOn policy')]);
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
    ).toEqual([finding('spec.http[0].timeout', message)]);
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
      finding('spec.http[0].route', 'total destination weight = 0'),
    ]);
    expect(plant('VirtualService', split([110, -10]))).toEqual([
      finding('spec.http[0].route[1].weight', 'weight -10 < 0'),
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
    ).toEqual([finding('spec.http[0]', 'HTTP route, redirect or direct_response is required')]);
    expect(
      plant('VirtualService', (spec) => {
        route(spec).route[0].destination.port.number = 70000;
      }),
    ).toEqual([
      finding(
        'spec.http[0].route[0].destination.port.number',
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

describe('DestinationRule', () => {
  it('rejects percentages out of range, bad durations and an empty traffic policy', () => {
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.outlierDetection.maxEjectionPercent = 150;
      }),
    ).toEqual([
      finding(
        'spec.trafficPolicy.outlierDetection.maxEjectionPercent',
        'percentage 150 is not in range 0..100',
      ),
    ]);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.connectionPool.tcp.connectTimeout = '0.5ms';
      }),
    ).toEqual([
      finding('spec.trafficPolicy.connectionPool.tcp.connectTimeout', 'duration must be greater than 1ms'),
    ]);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy = {};
      }),
    ).toEqual([finding('spec.trafficPolicy', 'traffic policy must have at least one field')]);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection = -1;
      }),
    ).toEqual([
      finding(
        'spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection',
        'max requests per connection must be non-negative',
      ),
    ]);
  });

  it('rejects client MUTUAL TLS without certificates, and a maglev table that is not prime', () => {
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.tls = { mode: 'MUTUAL' };
      }).map((f) => f.message),
    ).toEqual(['client certificate required for mutual tls', 'private key required for mutual tls']);
    expect(
      plant('DestinationRule', (spec) => {
        spec.trafficPolicy.loadBalancer = { consistentHash: { maglev: { tableSize: 65536 } } };
      }),
    ).toEqual([
      finding(
        'spec.trafficPolicy.loadBalancer.consistentHash.maglev',
        'tableSize must be a prime number for maglev',
      ),
    ]);
  });
});

describe('Gateway', () => {
  const https = (spec: Spec) => spec.servers.find((s: Spec) => s.port.protocol === 'HTTPS');

  it('rejects an HTTPS server without its TLS credential or without TLS at all', () => {
    expect(
      plant('Gateway', (spec) => {
        https(spec).tls = { mode: 'SIMPLE' };
      }).map((f) => f.message),
    ).toEqual(['SIMPLE TLS requires a server certificate', 'SIMPLE TLS requires a private key']);
    expect(
      plant('Gateway', (spec) => {
        delete https(spec).tls;
      }),
    ).toEqual([finding('spec.servers[1]', 'server must have TLS settings for HTTPS/TLS protocols')]);
  });

  it('rejects TLS termination on the plain-text redirect server, and duplicate port names', () => {
    expect(
      plant('Gateway', (spec) => {
        spec.servers[0].tls = { httpsRedirect: true, mode: 'SIMPLE', credentialName: 'x' };
      }),
    ).toEqual([finding('spec.servers[0].tls', 'server cannot have TLS settings for plain text HTTP ports')]);
    expect(
      plant('Gateway', (spec) => {
        https(spec).port.name = 'http';
      }),
    ).toEqual([
      finding('spec.servers[1].port.name', 'port names in servers must be unique: duplicate name http'),
    ]);
  });

  it('rejects a server host that is not a FQDN, a bad protocol and a name with dots', () => {
    expect(
      plant('Gateway', (spec) => {
        spec.servers[0].hosts = ['platform-api'];
      }),
    ).toEqual([finding('spec.servers[0].hosts[0]', 'short names (non FQDN) are not allowed')]);
    expect(
      plant('Gateway', (spec) => {
        spec.servers[0].port.protocol = 'QUIC';
      }),
    ).toContainEqual(
      finding('spec.servers[0].port.protocol', /^invalid protocol "QUIC", supported protocols are HTTP/),
    );
    expect(
      plant('Gateway', (_spec, object) => {
        object.metadata.name = 'platform.gateway';
      }),
    ).toEqual([finding('metadata.name', 'invalid gateway name: "platform.gateway"')]);
  });
});

describe('PeerAuthentication', () => {
  it('rejects port-level mTLS on the mesh-wide policy and ports out of range', () => {
    expect(
      plant(
        'PeerAuthentication',
        (spec) => {
          spec.portLevelMtls = { 8080: { mode: 'DISABLE' } };
        },
        'default',
      ),
    ).toEqual([
      finding('spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS'),
    ]);
    expect(
      plant(
        'PeerAuthentication',
        (spec) => {
          spec.portLevelMtls = { 0: { mode: 'DISABLE' } };
        },
        'platform-api',
      ),
    ).toEqual([finding('spec.portLevelMtls.0', 'port must be in range 1..65535')]);
  });

  it('rejects a wildcard in the workload selector', () => {
    expect(
      plant(
        'PeerAuthentication',
        (spec) => {
          spec.selector.matchLabels = { app: 'platform-*' };
        },
        'platform-api',
      ),
    ).toEqual([
      finding('spec.selector.matchLabels', 'wildcard is not supported in selector: "app=platform-*"'),
    ]);
  });
});

describe('AuthorizationPolicy', () => {
  const prefix = 'invalid policy platform-api.platform-api: ';

  it('rejects DENY without rules (it would never trigger)', () => {
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.action = 'DENY';
        },
        'platform-api-worker',
      ),
    ).toEqual([
      finding(
        'spec.rules',
        'invalid policy platform-api-worker.platform-api: DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
      ),
    ]);
  });

  it('rejects an empty principal and a path with braces beyond {*} and {**}', () => {
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.rules[0].from[0].source.principals = [''];
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'spec.rules[0].from[0].source.principals',
        `${prefix}empty value not allowed, found in Principals`,
      ),
    ]);
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.rules[1].to[0].operation.paths = ['/items/{id}'];
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'spec.rules[1].to[0].operation.paths',
        `${prefix}invalid or unsupported path items/{id}, found in Paths. Contains '{' or '}' beyond a supported path template`,
      ),
    ]);
    expect(
      plant(
        'AuthorizationPolicy',
        (spec) => {
          spec.rules[1].to[0].operation.paths = ['/{**}/{*}'];
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'spec.rules[1].to[0].operation.paths',
        `${prefix}invalid or unsupported path {**}/{*}, found in Paths. {**} is not the last operator`,
      ),
    ]);
  });

  it('rejects empty from/to, an empty source, service accounts beside principals, and unknown when keys', () => {
    const messages = plant(
      'AuthorizationPolicy',
      (spec) => {
        spec.rules[0].from = [];
        spec.rules[1].to = [{ operation: {} }];
        spec.rules.push({ from: [{ source: {} }] });
        spec.rules.push({ from: [{ source: { principals: ['a'], serviceAccounts: ['ns/sa'] } }] });
        spec.rules.push({
          when: [
            { key: 'request.colour', values: ['blue'] },
            { key: 'source.ip', values: ['10.0.0.0/33'] },
          ],
        });
      },
      'platform-api',
    ).map((f) => f.message.replace(prefix, ''));
    expect(messages).toEqual([
      '`from` must not be empty, found at rule 0',
      '`to.operation` must not be empty, found at rule 1',
      '`from.source` must not be empty, found at rule 2',
      'cannot set serviceAccounts with namespaces or principals, found at rule 3',
      // istiod checks the key again for the (empty) notValues: an unknown key is reported twice.
      'invalid `value` for `key` request.colour: unknown attribute: request.colour',
      'invalid `notValue` for `key` request.colour: unknown attribute: request.colour',
      'invalid `value` for `key` source.ip: bad CIDR range (10.0.0.0/33)',
    ]);
  });

  it('rejects the dry-run annotation with a value that is not a boolean', () => {
    expect(
      plant(
        'AuthorizationPolicy',
        (_spec, object) => {
          object.metadata.annotations = { 'istio.io/dry-run': 'maybe' };
        },
        'platform-api',
      ),
    ).toEqual([
      finding(
        'metadata.annotations',
        'platform-api/platform-api has annotation istio.io/dry-run with invalid value (maybe)',
      ),
    ]);
  });
});

describe('RequestAuthentication', () => {
  it('rejects a JWKS URI istiod cannot fetch and an empty audience', () => {
    expect(
      plant('RequestAuthentication', (spec) => {
        spec.jwtRules[0].jwksUri = 'ftp://keys.example.com/jwks.json';
        spec.jwtRules[0].audiences = [''];
      }).map((f) => f.message),
    ).toEqual(['audience must be non-empty string', 'URI scheme "ftp" is not supported']);
  });
});

describe('Telemetry', () => {
  it('rejects a sampling percentage above 100 and a provider without a name', () => {
    expect(
      plant('Telemetry', (spec) => {
        spec.tracing[0].randomSamplingPercentage = 150;
      }),
    ).toEqual([
      finding(
        'spec.tracing[0].randomSamplingPercentage',
        'randomSamplingPercentage must be in range [0.0, 100.0]',
      ),
    ]);
    expect(
      plant('Telemetry', (spec) => {
        spec.tracing[0].providers = [{ name: '' }];
      }),
    ).toEqual([finding('spec.tracing[0].providers', 'providers.name may not be empty')]);
  });
});

describe('any Istio object', () => {
  it('rejects a top-level field outside apiVersion, kind, metadata, spec and status', () => {
    expect(
      plant('Telemetry', (_spec, object) => {
        object.specs = {};
      }),
    ).toEqual([finding('specs', 'unknown field "specs" on Telemetry resource istio-system/mesh-default')]);
  });

  it('reports an Istio kind it has no rules for, instead of passing it unchecked', () => {
    const sidecar = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default' },
      spec: {},
    };
    expect(checkIstioObjects([sidecar])).toEqual([
      finding('', /^no istiod rules encoded for networking.istio.io\/Sidecar/),
    ]);
  });
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
