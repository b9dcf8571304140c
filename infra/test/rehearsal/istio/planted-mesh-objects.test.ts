import { beforeAll, describe, expect, it } from 'vitest';
import { checkIstioObjects } from './check-istio-objects.js';
import { chartIstioObjects, finding, programIstioObjects, type Spec, TodaysObjects } from './planting.js';

// The program's mesh objects (Gateway, PeerAuthentication, Telemetry) and rules for any Istio object.

const today = new TodaysObjects();
const { plant } = today;

beforeAll(async () => {
  const program = await programIstioObjects();
  today.objects = [...program.objects, ...chartIstioObjects()];
}, 120_000);

it('starts from copies istiod accepts, so each case fails for its planted defect alone', () => {
  expect(checkIstioObjects(today.objects)).toEqual([]);
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
