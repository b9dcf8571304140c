import { readFileSync } from 'node:fs';
import { type Stage, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import type { RegisteredResource } from '../../src/testing/registered-resources.js';
import { type RehearsalCheck, rehearse } from './rehearse.js';

const beforeFixes = (stage: Stage): RegisteredResource[] =>
  JSON.parse(readFileSync(new URL(`fixtures/before-fixes/${stage}.json`, import.meta.url), 'utf8'));

/** A defect the first `pulumi up` met before the fixes, as the check that must report it words it. */
type Expected = [check: RehearsalCheck, message: RegExp];

const everyStage: Expected[] = [
  // Defect 9: the sidecars export spans over OTLP/gRPC (4317); the policies opened only 4318.
  ['NetworkPolicy ports', /tracing provider "otel-collector" \(OTLP\/gRPC\) connects to .*:4317\/TCP/],
  // Defect 6: the migration Job could start before the Cluster accepted connections.
  ['database before the service', /no await on condition Ready: platform-api-migration/],
  ['database before the service', /no init container waits for the primary/],
  ['database before the service', /no await on status\.phase=active: platform-api-workload/],
  // Defect 7: CloudNativePG's generated password reached neither Vault nor the service.
  ['database password chain', /nothing registered carries it to secret\/platform-api\//],
  // Defect 2: Bitnami's free images left docker.io/bitnami.
  ['images (maintained, pinned)', /docker\.io\/bitnami\/redis:.*Bitnami removed its free versioned images/],
];

const expectedByStage: Record<Stage, Expected[]> = {
  local: [
    ...everyStage,
    // Defect 3: istiod refuses perTryTimeout/retryOn beside attempts 0.
    ['Istio (istiod validation)', /http retry policy configured when attempts are set to 0/],
    // Defect 4: kind gives a LoadBalancer no address; the gateway release waits until its timeout.
    ['Helm releases (chart schemas, templates, await)', /LoadBalancer Service never gets an ingress address/],
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
