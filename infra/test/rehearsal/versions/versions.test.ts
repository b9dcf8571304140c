import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformVersions } from '@platform/charts';
import { describe, expect, it } from 'vitest';
import { tools } from '../../../local/tools.js';
import { chartPins } from '../../../src/cluster/chart-pins.js';
import { formatFindings } from '../findings.js';
import { type ChartFixture, chartFixtures, upstreamDirectory } from './chart-fixtures.js';
import { chartPinFindings } from './chart-pins-upstream.js';
import { docsVersionFindings } from './docs-versions.js';
import { kindNodeImageFindings, terraformNodeImages } from './kind-node-image.js';
import { inRangeFindings, type KubernetesSupport, kubernetesRangeFindings } from './kubernetes-range.js';
import { pinnedVersionsAgreeFindings } from './pinned-versions-agree.js';
import { toolMinimumFindings } from './tool-minimums.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const json = <T>(path: string): T => JSON.parse(readFileSync(join(upstreamDirectory, path), 'utf8')) as T;

const fixtures = chartFixtures();
const kindImages = json<{ defaultNodeImages: Record<string, string> }>(
  'kind@v0.32.0/default-node-images.json',
).defaultNodeImages;
/** Istio states its Kubernetes support per minor release: any fixture of the pinned minor answers. */
const istioMinor = platformVersions.istio.split('.').slice(0, 2).join('.');
const istioFolder = readdirSync(upstreamDirectory).find(
  (name) =>
    name.startsWith(`istio@${istioMinor}.`) &&
    existsSync(join(upstreamDirectory, name, 'kubernetes-support.json')),
);
const istioSupport = json<{ minimumKubernetes: string; testedKubernetes: string; source: string }>(
  `${istioFolder}/kubernetes-support.json`,
);
const support: KubernetesSupport[] = [
  {
    component: `Istio ${platformVersions.istio}`,
    minimum: istioSupport.minimumKubernetes,
    tested: istioSupport.testedKubernetes,
    source: `${istioSupport.source}: istioctl/pkg/install/k8sversion/version.go, prow/integ-suite-kind.sh`,
  },
];
const terraformPath = 'terraform/kind/main.tf';
const terraformFiles = () =>
  readdirSync(join(repo, 'terraform'), { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.tf') && !p.includes('.terraform/'))
    .map((p) => `terraform/${p}`);

/** Every Markdown page a reader meets: docs/, and the READMEs at the root and of each top folder. */
function documents(): { path: string; text: string }[] {
  const docs = readdirSync(join(repo, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.md'))
    .map((p) => `docs/${p}`);
  const readmes = [
    'README.md',
    ...['app', 'charts', 'infra', 'policies', 'terraform'].map((d) => `${d}/README.md`),
  ];
  return [...docs, ...readmes].flatMap((path) => {
    try {
      return [{ path, text: read(path) }];
    } catch {
      return [];
    }
  });
}

describe('versions: one statement, checked against the pins, Terraform, the docs and upstream', () => {
  it('every pinned chart version has its published Chart.yaml under upstream/', () => {
    expect(formatFindings(chartPinFindings(chartPins, fixtures))).toBe('');
  });

  it('the chart pins are the versions charts/src/versions.ts states', () => {
    expect(formatFindings(pinnedVersionsAgreeFindings(chartPins, platformVersions, fixtures))).toBe('');
  });

  it('the supported Kubernetes range lies inside what Istio and every chart accept', () => {
    expect(formatFindings(kubernetesRangeFindings(platformVersions.kubernetes, support, fixtures))).toBe('');
  });

  it('the local cluster runs the pinned node image, one kind published, inside the supported range', () => {
    const terraform = terraformFiles().map((path) => ({ path, images: terraformNodeImages(read(path)) }));
    const tag = /kindest\/node:(v[0-9.]+)/.exec(platformVersions.kindNodeImage)![1]!;
    const findings = [
      ...kindNodeImageFindings(platformVersions.kindNodeImage, terraform, kindImages),
      ...inRangeFindings('kind node image', 'charts/src/versions.ts', tag, platformVersions.kubernetes),
    ];
    expect(formatFindings(findings)).toBe('');
  });

  it('the bring-up asks for the kind and kubectl versions the pins need', () => {
    const pinned = {
      kindNodeImage: platformVersions.kindNodeImage,
      kubernetesMinimum: platformVersions.kubernetes.minimum,
    };
    expect(formatFindings(toolMinimumFindings(tools, pinned, kindImages))).toBe('');
  });

  it('the docs state the supported minimum and the pinned node image', () => {
    const findings = docsVersionFindings(documents(), {
      kubernetesMinimum: platformVersions.kubernetes.minimum,
      kindNodeImage: platformVersions.kindNodeImage,
    });
    expect(formatFindings(findings)).toBe('');
  });
});

describe('versions: each check reports the defect it exists for', () => {
  const fixture = (name: string, version: string, extra: Partial<ChartFixture> = {}): ChartFixture => ({
    folder: `${name}@${version}`,
    name,
    version,
    ...extra,
  });
  const istiod = {
    chart: 'istiod',
    version: '1.30.3',
    repository: 'https://istio-release.storage.googleapis.com/charts',
  };

  it('a pin whose version no upstream Chart.yaml carries (a source-tree Chart.yaml says 1.0.0)', () => {
    const findings = chartPinFindings({ istiod }, [fixture('istiod', '1.0.0')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('istiod@1.0.0 says 1.0.0');
    expect(chartPinFindings({ istiod: { ...istiod, version: '9.9.9' } }, fixtures)).toHaveLength(1);
    expect(chartPinFindings({ istiod }, [fixture('istiod', '1.30.3')])).toEqual([]);
  });

  it('docs that promise Kubernetes 1.30+ while Istio 1.30 needs 1.32 (the range and the docs both report it)', () => {
    const before = { minimum: '1.30', maximum: '1.35' };
    expect(kubernetesRangeFindings(before, support, []).map((f) => f.message)).toEqual([
      `Istio ${platformVersions.istio} needs Kubernetes 1.32 or newer`,
    ]);
    const text = [
      '| kubectl ≥ 1.30 | Skaffold applies with it; the chart uses `preStop.sleep` (Kubernetes 1.30+) |',
      'The API server removed it (deprecated in Kubernetes 1.30).',
    ].join('\n');
    const findings = docsVersionFindings([{ path: 'docs/developer-loop.md', text }], {
      kubernetesMinimum: '1.32',
      kindNodeImage: platformVersions.kindNodeImage,
    });
    expect(findings.map((f) => f.message)).toEqual([
      '"kubectl ≥ 1.30" but the supported minimum is 1.32',
      '"Kubernetes 1.30+" but the supported minimum is 1.32',
    ]);
  });

  it('a chart whose kubeVersion rejects an end of the range, and a range newer than the mesh is tested on', () => {
    const strict = fixture('cloudnative-pg', '0.29.0', { kubeVersion: '>=1.33.0-0' });
    expect(kubernetesRangeFindings({ minimum: '1.32', maximum: '1.35' }, [], [strict])).toHaveLength(1);
    expect(kubernetesRangeFindings({ minimum: '1.32', maximum: '1.36' }, support, [])).toHaveLength(1);
  });

  it('Terraform naming another node image, and a node image kind never published', () => {
    const other = `kindest/node:v1.33.1@sha256:${'0'.repeat(64)}`;
    const pinned = platformVersions.kindNodeImage;
    expect(
      kindNodeImageFindings(pinned, [{ path: terraformPath, images: [other] }], kindImages),
    ).toHaveLength(2);
    expect(kindNodeImageFindings(other, [{ path: terraformPath, images: [other] }], kindImages)).toHaveLength(
      1,
    );
    expect(kindNodeImageFindings(pinned, [{ path: terraformPath, images: [pinned] }], kindImages)).toEqual(
      [],
    );
    expect(
      inRangeFindings('kind node image', 'x', 'v1.31.0', { minimum: '1.32', maximum: '1.35' }),
    ).toHaveLength(1);
  });

  it('a bring-up that accepts a kind older than the node image, or a kubectl too old for the oldest cluster', () => {
    const pinned = { kindNodeImage: platformVersions.kindNodeImage, kubernetesMinimum: '1.32' };
    const old = [
      { command: 'kind', minimum: '0.27.0' },
      { command: 'kubectl', minimum: '1.30.0' },
    ];
    expect(toolMinimumFindings(old, pinned, kindImages).map((f) => f.subject)).toEqual([
      'bring-up tool kind',
      'bring-up tool kubectl',
    ]);
  });

  it('a chart pin that drifted from the stated version, and an operator the chart does not install', () => {
    const pins = { istiod: { ...istiod, version: '1.30.2' } };
    expect(pinnedVersionsAgreeFindings(pins, platformVersions, fixtures).map((f) => f.message)).toEqual([
      `pins 1.30.2, but charts/src/versions.ts states ${platformVersions.istio}`,
    ]);
    const stated = { ...platformVersions, cloudnativePg: { chart: '0.29.0', operator: '1.29.0' } };
    const cnpg = [fixture('cloudnative-pg', '0.29.0', { appVersion: '1.30.0' })];
    expect(pinnedVersionsAgreeFindings({}, stated, cnpg)).toHaveLength(1);
  });
});
