import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartFixtures, loadChart } from './chart-fixtures.js';
import { stampIstioChartYaml } from './istio-release-stamp.js';

/** The shape of Chart.yaml in istio/istio's source tree (manifests/charts/base at 1.30.3). */
const sourceTree = [
  'apiVersion: v2',
  'name: base',
  '# This version is never actually shipped. istio/release-builder will replace it at build-time',
  'version: 1.0.0',
  'appVersion: 1.0.0',
  'dependencies:',
  '  - name: sub',
  '    version: 1.0.0',
  '    repository: file://../sub',
  '',
].join('\n');

describe("Istio's published Chart.yaml", () => {
  it('carries the release tag as version and appVersion, as the release build stamps it', () => {
    const stamped = stampIstioChartYaml(sourceTree, '1.30.3');
    expect(parse(stamped)).toEqual({
      apiVersion: 'v2',
      appVersion: '1.30.3',
      dependencies: [{ name: 'sub', repository: 'file://../sub', version: '1.30.3' }],
      name: 'base',
      version: '1.30.3',
    });
    expect(stamped).not.toContain('#');
    expect(stamped.split('\n')[0]).toBe('apiVersion: v2');
  });

  it('is what the stored Istio fixtures hold', () => {
    for (const fixture of chartFixtures.filter((f) => f.publishChartYaml)) {
      const { chartYaml, appVersion } = loadChart(fixture);
      expect([chartYaml.version, appVersion]).toEqual([fixture.version, fixture.version]);
    }
  });
});
