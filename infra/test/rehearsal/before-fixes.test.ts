import { readFileSync } from 'node:fs';
import { platformVersions } from '@platform/charts';
import { type Stage, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import type { RegisteredResource } from '../../src/testing/registered-resources.js';
import { helmReleaseType, releaseSubject } from './helm/check-helm-releases.js';
import { type RehearsalCheck, rehearse } from './rehearse.js';

const beforeFixes = (stage: Stage): RegisteredResource[] =>
  JSON.parse(readFileSync(new URL(`fixtures/before-fixes/${stage}.json`, import.meta.url), 'utf8'));

/** A defect the first `pulumi up` met before the fixes, as the check that must report it words it. */
type Expected = [check: RehearsalCheck, message: RegExp];

const helmCheck: RehearsalCheck = 'Helm releases (chart schemas, templates, await)';
const istioRepo = 'https://istio-release.storage.googleapis.com/charts';

/**
 * The record's Istio releases moved to the Istio the rehearsal holds charts for. The program pinned 1.30.4, which
 * no upstream copy of istio/istio holds (its charts there are those of the release-1.30 branch, unchanged since
 * tag 1.30.3): the values it sent are judged by the 1.30.3 charts' own rules.
 */
function withIstioAt(resources: RegisteredResource[], version: string): RegisteredResource[] {
  return resources.map((r) =>
    r.type === helmReleaseType &&
    (r.inputs.repositoryOpts as { repo?: string } | undefined)?.repo === istioRepo
      ? { ...r, inputs: { ...r.inputs, version } }
      : r,
  );
}

const everyStage: Expected[] = [
  // Defect 9: the sidecars export spans over OTLP/gRPC (4317); the policies opened only 4318.
  ['NetworkPolicy ports', /tracing provider "otel-collector" \(OTLP\/gRPC\) connects to .*:4317\/TCP/],
  // Defect 6: the migration Job could start before the Cluster accepted connections.
  ['database before the service', /no await on condition Ready: platform-api-migration/],
  ['database before the service', /no init container waits for the primary/],
  ['database before the service', /no await on status\.phase=active: platform-api-workload/],
  // Defect 7: CloudNativePG's generated password reached neither Vault nor the service.
  ['database password chain', /nothing registered carries it to secret\/platform-api\//],
  // Security finding 17: the gateway carried readiness (and liveness) to the service.
  ['gateway routes (internal paths)', /forwards \/api\/v1\/health\/ready from gateway/],
  ['gateway routes (internal paths)', /forwards \/api\/v1\/health\/live from gateway/],
  // Defect 2: Bitnami's free images left docker.io/bitnami.
  ['images (maintained, pinned)', /docker\.io\/bitnami\/redis:.*Bitnami removed its free versioned images/],
  // Defect 13: Istio pinned at 1.30.4, a chart version no upstream copy holds.
  [
    helmCheck,
    /no upstream fixture for https:\/\/istio-release\.storage\.googleapis\.com\/charts\/\w+@1\.30\.4/,
  ],
];

const expectedByStage: Record<Stage, Expected[]> = {
  local: [
    ...everyStage,
    // Defect 3: istiod refuses perTryTimeout/retryOn beside attempts 0.
    ['Istio (istiod validation)', /http retry policy configured when attempts are set to 0/],
  ],
  dev: everyStage,
  staging: [
    ...everyStage,
    // Defect 2: the Bitnami chart's own validation with Sentinel.
    [
      'Helm releases (chart schemas, templates, await)',
      /VALUES VALIDATION:\s+redis: sentinel\.masterService\.enabled/,
    ],
    ['images (maintained, pinned)', /docker\.io\/bitnami\/redis-sentinel:/],
  ],
  prod: [
    ...everyStage,
    [
      'Helm releases (chart schemas, templates, await)',
      /VALUES VALIDATION:\s+redis: sentinel\.masterService\.enabled/,
    ],
    ['images (maintained, pinned)', /docker\.io\/bitnami\/redis-sentinel:/],
  ],
};

// The program as it was before the first-deploy fixes (fixtures/README.md): the rehearsal must fail on it, for
// the reason each real tool gives. This is what keeps every check from passing vacuously.
describe.each(stages)('the rehearsal of %s before the fixes', (stage) => {
  const rehearsal = rehearse(beforeFixes(stage));

  it.each(expectedByStage[stage].map(([check, message]) => [check, message.source, message] as const))(
    '%s reports /%s/',
    (check, _, message) => {
      expect(rehearsal[check].map((f) => f.message)).toContainEqual(expect.stringMatching(message));
    },
  );

  it('reports nothing it was not expected to', () => {
    const expected = expectedByStage[stage];
    const unexpected = Object.entries(rehearsal).flatMap(([check, findings]) =>
      findings
        .filter((f) => !expected.some(([c, m]) => c === check && m.test(f.message)))
        .map((f) => `${check}: ${f.subject} ${f.path}: ${f.message}`),
    );
    expect(unexpected).toEqual([]);
  });
});

/** What the Helm check reports on the record's Istio releases, judged by the pinned Istio charts. */
const istioValuesByStage: Record<Stage, RegExp[]> = {
  // Defect 4: kind gives a LoadBalancer no address; the gateway release waits until its timeout.
  local: [/LoadBalancer Service never gets an ingress address/],
  dev: [],
  staging: [],
  prod: [],
};

describe.each(stages)("the Istio values of %s before the fixes, by the pinned Istio's charts", (stage) => {
  const record = withIstioAt(beforeFixes(stage), platformVersions.istio);
  const istioReleases = record
    .filter((r) => r.type === helmReleaseType && r.inputs.version === platformVersions.istio)
    .map(releaseSubject);
  const findings = rehearse(record)[helmCheck].filter((f) => istioReleases.includes(f.subject));

  it('report each defect, and nothing else', () => {
    const expected = istioValuesByStage[stage];
    for (const message of expected) {
      expect(findings.map((f) => f.message)).toContainEqual(expect.stringMatching(message));
    }
    const unexpected = findings.filter((f) => !expected.some((m) => m.test(f.message)));
    expect(unexpected.map((f) => `${f.subject} ${f.path}: ${f.message}`)).toEqual([]);
  });
});
