import { describe, expect, it } from 'vitest';
import { chartPins } from '../../../src/cluster/chart-pins.js';
import { crdSources, rawUrl } from '../upstream/crd-sources.js';
import { upstreamEntries } from '../upstream/refresh.js';
import { crdFixtureFiles } from './crd-fixture-files.js';
import { loadSchemaFixtures, schemaKey } from './schema-fixtures.js';

const crdYaml = `{{- if .Values.crds.create }}
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object } } } }
  - name: v1alpha1
    served: false
    storage: false
    schema: { openAPIV3Schema: { type: object } }
{{- end }}
`;

describe('CRD schema fixtures', () => {
  it('hold every kind we create, at every version its pinned CRD serves', () => {
    const index = loadSchemaFixtures();
    for (const source of crdSources) {
      for (const kind of source.kinds) {
        expect(
          [...index.values()].some((f) => f.kind === kind),
          `${source.folder} ${kind}`,
        ).toBe(true);
      }
    }
    // Istio 1.30 serves v1 and v1beta1 of the networking and security kinds (charts moved to v1; both are kept).
    expect(index.has(schemaKey('networking.istio.io/v1', 'VirtualService'))).toBe(true);
    expect(index.has(schemaKey('networking.istio.io/v1beta1', 'VirtualService'))).toBe(true);
    expect(index.has(schemaKey('security.istio.io/v1beta1', 'AuthorizationPolicy'))).toBe(true);
  });

  it('follow the chart pins: a bumped pin without a refresh fails loudly', () => {
    expect(crdSources.map((s) => s.folder)).toEqual(
      expect.arrayContaining([
        `istio-crds@${chartPins.istioBase.version}`,
        `cloudnative-pg-crds@${chartPins.cloudnativePg.version}`,
        `plugin-barman-cloud-crds@${chartPins.barmanCloudPlugin.version}`,
        `vault-secrets-operator-crds@${chartPins.vaultSecretsOperator.version}`,
      ]),
    );
    const bumped = { ...crdSources[0]!, folder: 'istio-crds@9.9.9' };
    expect(() => loadSchemaFixtures([bumped])).toThrow(/istio-crds@9\.9\.9 is missing: run .*refresh\.ts/);
  });

  it('are made from upstream CRDs: served versions only, Helm guards stripped, a missing kind is an error', () => {
    const files = crdFixtureFiles([{ text: crdYaml, source: 'example/widgets@v1 crds.yaml' }], ['Widget']);
    expect(Object.keys(files)).toEqual(['example.com_v1_Widget.json']);
    expect(JSON.parse(files['example.com_v1_Widget.json']!)).toMatchObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      source: 'example/widgets@v1 crds.yaml',
      openAPIV3Schema: { type: 'object' },
    });
    expect(() => crdFixtureFiles([{ text: crdYaml, source: 'x' }], ['Widget', 'Gadget'])).toThrow(
      /no CRD for Gadget/,
    );
  });

  it('are re-taken by refresh.ts from the pinned tags', () => {
    const folders = upstreamEntries.map((e) => e.folder);
    for (const source of crdSources) expect(folders).toContain(source.folder);
    const istio = crdSources.find((s) => s.repo === 'istio/istio')!;
    expect(rawUrl(istio, istio.paths[0]!)).toBe(
      `https://raw.githubusercontent.com/istio/istio/${chartPins.istioBase.version}/manifests/charts/base/files/crd-all.gen.yaml`,
    );
  });
});
