import { beforeAll, describe, expect, it } from 'vitest';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/index.js';
import { formatFindings } from '../findings.js';
import { chartDistObjects } from './chart-dist-objects.js';
import { isCustomResource, type KubeObject, kubeObjectsOf } from './custom-resource-objects.js';
import { checkCustomResources, checkRegisteredCustomResources } from './validate-custom-resource.js';

// Each case copies one of today's objects (prod: the program's, and charts/dist/prod), plants one defect and
// expects the API server's complaint at the exact field.

// biome-ignore lint/suspicious/noExplicitAny: planting edits arbitrary spec fields
type Loose = Record<string, any>;
let resources: RegisteredResource[] = [];
let objects: KubeObject[] = [];

beforeAll(async () => {
  resources = (await mockPlatform('prod')).resources;
  objects = [...kubeObjectsOf(resources), ...chartDistObjects('prod')].filter(isCustomResource);
}, 60_000);

function copyOf(kind: string): Loose {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} among today's objects`);
  return structuredClone(found);
}

function plant(kind: string, edit: (object: Loose) => void) {
  const object = copyOf(kind);
  edit(object);
  return checkCustomResources([object as KubeObject]);
}

const finding = (path: string, message: string | RegExp) =>
  expect.objectContaining({
    path,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

describe('planted defects in copies of today’s custom resources', () => {
  it('the copies start clean', () => {
    const findings = checkCustomResources(objects);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('an unknown field (a typo) is reported at its path', () => {
    const findings = plant('VirtualService', (vs) => {
      vs.spec.http[0].retrys = vs.spec.http[0].retries;
    });
    expect(findings).toEqual([finding('spec.http[0].retrys', /^unknown field/)]);
  });

  it('an unknown metadata field is reported (metadata is decoded as ObjectMeta)', () => {
    const findings = plant('Gateway', (gw) => {
      gw.metadata.label = { app: 'x' };
    });
    expect(findings).toEqual([finding('metadata.label', 'unknown field')]);
  });

  it('a wrong type is reported, and CEL rules are then skipped as the API server does', () => {
    const findings = plant('Cluster', (cluster) => {
      cluster.spec.instances = '3';
    });
    expect(findings).toEqual([
      finding('spec.instances', 'Invalid value: "3": must be of type integer'),
      finding('', /some validation rules were not checked/),
    ]);
  });

  it('a missing required field is reported; a required field with a default is filled in instead', () => {
    const missing = plant('VaultStaticSecret', (secret) => {
      delete secret.spec.mount;
    });
    expect(missing).toEqual([finding('spec.mount', 'Required value'), finding('', /not checked/)]);
    const defaulted = plant('Cluster', (cluster) => {
      delete cluster.spec.instances; // required, default 1
    });
    expect(defaulted).toEqual([]);
  });

  it('a value outside the enum is reported with the allowed values', () => {
    const findings = plant('PeerAuthentication', (pa) => {
      pa.spec.mtls.mode = 'STRICTER';
    });
    expect(findings).toEqual([
      finding(
        'spec.mtls.mode',
        'Unsupported value: "STRICTER": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"',
      ),
      finding('', /not checked/),
    ]);
  });

  it('a value below the minimum is reported', () => {
    const findings = plant('Cluster', (cluster) => {
      cluster.spec.instances = 0;
    });
    expect(findings).toEqual([finding('spec.instances', /should be greater than or equal to 1/)]);
  });

  it('a string that does not match the pattern is reported', () => {
    const findings = plant('ServiceMonitor', (sm) => {
      sm.spec.endpoints[0].interval = '30 seconds';
    });
    expect(findings).toEqual([finding('spec.endpoints[0].interval', /should match/)]);
  });

  it('an int-or-string field takes a port name or number, nothing else', () => {
    const withTargetPort = (port: unknown) =>
      plant('ServiceMonitor', (sm) => {
        sm.spec.endpoints[0].targetPort = port;
      });
    expect(withTargetPort(9464)).toEqual([]);
    expect(withTargetPort('metrics')).toEqual([]);
    expect(withTargetPort(true)).toEqual([
      finding('spec.endpoints[0].targetPort', 'Invalid value: true: must be of type integer or string'),
      finding('', /not checked/),
    ]);
  });

  it('a duplicate key in an x-kubernetes-list-type: map list is reported', () => {
    let duplicate = -1;
    const findings = plant('PrometheusRule', (rule) => {
      duplicate = rule.spec.groups.push(structuredClone(rule.spec.groups[0])) - 1;
    });
    expect(findings).toEqual([finding(`spec.groups[${duplicate}]`, /^Duplicate value/)]);
  });

  it('x-kubernetes-validations (CEL) rules are evaluated: Istio, CloudNativePG and the Barman Cloud plugin', () => {
    expect(
      plant('DestinationRule', (dr) => {
        dr.spec.trafficPolicy.connectionPool.tcp.connectTimeout = '500us';
      }),
    ).toEqual([
      finding(
        'spec.trafficPolicy.connectionPool.tcp.connectTimeout',
        'Invalid value: must be a valid duration greater than 1ms',
      ),
    ]);
    expect(
      plant('RequestAuthentication', (ra) => {
        ra.spec.jwtRules[0].jwksUri = 'ftp://api.platform.example.com/jwks.json';
      }),
    ).toEqual([finding('spec.jwtRules[0].jwksUri', /url\(self\)\.getScheme\(\)|http/)]);
    expect(
      plant('Cluster', (cluster) => {
        cluster.spec.bootstrap.initdb.icuLocale = 'en-US';
      }),
    ).toEqual([finding('spec.bootstrap.initdb', /icuLocale|localeProvider/)]);
    expect(
      plant('ObjectStore', (store) => {
        store.spec.configuration.serverName = 'platform-db';
      }),
    ).toEqual([finding('spec.configuration.serverName', /serverName/)]);
  });

  it('a kind with no pinned CRD schema is reported, so a new kind cannot slip through unchecked', () => {
    const sidecar = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default' },
      spec: {},
    };
    expect(checkCustomResources([sidecar])).toEqual([
      finding('kind', /no CRD schema fixture for networking.istio.io\/v1 Sidecar/),
    ]);
  });

  it('a version the pinned CRD does not serve is reported with the served ones', () => {
    const findings = plant('VirtualService', (vs) => {
      vs.apiVersion = 'networking.istio.io/v1alpha2';
    });
    expect(findings).toEqual([
      finding('apiVersion', /does not serve networking.istio.io\/v1alpha2.*served: networking.istio.io\/v1,/),
    ]);
  });

  it('objects inside a ConfigGroup are checked like the program’s own custom resources', () => {
    const vs = copyOf('VirtualService');
    vs.spec.http[0].retrys = {};
    const group: RegisteredResource = {
      type: 'kubernetes:yaml/v2:ConfigGroup',
      name: 'planted',
      urn: 'urn:pulumi:prod::platform::kubernetes:yaml/v2:ConfigGroup::planted',
      inputs: { objs: [vs] },
      dependsOn: [],
    };
    expect(checkRegisteredCustomResources([...resources, group])).toEqual([
      finding('spec.http[0].retrys', /^unknown field/),
    ]);
  });
});
