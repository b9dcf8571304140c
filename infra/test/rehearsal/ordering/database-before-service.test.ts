import { readFileSync } from 'node:fs';
import { type Stage, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/index.js';
import { formatFindings } from '../findings.js';
import { databaseAwaitedBeforeService } from './database-before-service.js';

// Mocks are process-wide: every stage is registered here, one after the other, before any assertion.
const registered = new Map<string, RegisteredResource[]>();
for (const stage of stages) registered.set(stage, (await mockPlatform(stage)).resources);
const staging = registered.get('staging') as RegisteredResource[];

/** What the program registered before the first-deploy fixes (fixtures/README.md). */
const beforeFixes = (stage: Stage): RegisteredResource[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/before-fixes/${stage}.json`, import.meta.url), 'utf8'));

/** A copy of the registered resources with one resource's inputs changed (a planted defect). */
function planted(
  resources: RegisteredResource[],
  type: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): RegisteredResource[] {
  return resources.map((r) => (r.type === type ? { ...r, inputs: change(structuredClone(r.inputs)) } : r));
}

const withoutAnnotations = (inputs: Record<string, unknown>) => {
  const metadata = inputs.metadata as { annotations?: unknown };
  delete metadata.annotations;
  return inputs;
};

const clusterType = 'kubernetes:postgresql.cnpg.io/v1:Cluster';
const runtimeRoleReconciled =
  "jsonpath={.status.managedRolesStatus.byStatus.reconciled[?@=='platform_api_runtime']}";

/** The Cluster's `pulumi.com/waitFor` replaced by `value`. */
const clusterAwaiting = (value: string) =>
  planted(staging, clusterType, (inputs) => {
    (inputs.metadata as { annotations: Record<string, string> }).annotations = {
      'pulumi.com/waitFor': value,
    };
    return inputs;
  });

describe('rehearsal: the database is serving before the service goes in', () => {
  it.each([...stages])(
    '%s: migration waits for a Ready Cluster, the workload for an active Pooler',
    (stage) => {
      const findings = databaseAwaitedBeforeService(registered.get(stage) as RegisteredResource[]);
      expect(findings, formatFindings(findings)).toEqual([]);
    },
  );

  it.each([...stages])('%s before the fixes: nothing awaited, the Job does not wait', (stage) => {
    const findings = databaseAwaitedBeforeService(beforeFixes(stage));
    const found = findings.map((f) => `${f.subject} ${f.path}`);
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        'Cluster postgres/platform-db metadata.annotations["pulumi.com/waitFor"]',
        expect.stringMatching(/^Job .*platform-api-migrate-\w+ spec.template.spec.initContainers$/),
        'Pooler postgres/platform-db-pooler metadata.annotations["pulumi.com/waitFor"]',
      ]),
    );
  });

  it('reports a Cluster without a readiness await (the first install starts migrating into a bootstrap)', () => {
    const findings = databaseAwaitedBeforeService(planted(staging, clusterType, withoutAnnotations));
    expect(findings).toEqual([
      expect.objectContaining({
        subject: 'Cluster postgres/platform-db',
        message: expect.stringMatching(/condition Ready/),
      }),
      expect.objectContaining({
        subject: 'Cluster postgres/platform-db',
        message: expect.stringMatching(/managed role platform_api_runtime/),
      }),
    ]);
  });

  it('reports a Cluster awaited on a condition CloudNativePG never sets', () => {
    const findings = databaseAwaitedBeforeService(
      clusterAwaiting(JSON.stringify(['condition=Available', runtimeRoleReconciled])),
    );
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/condition Ready/)]);
  });

  it('reports the Ready-only await: the migration starts before the runtime role exists', () => {
    // The annotation as it was before the role await: Ready comes before CloudNativePG creates managed roles.
    const findings = databaseAwaitedBeforeService(clusterAwaiting('condition=Ready'));
    expect(findings).toEqual([
      expect.objectContaining({
        subject: 'Cluster postgres/platform-db',
        path: 'metadata.annotations["pulumi.com/waitFor"]',
        message: expect.stringMatching(/^no await on managed role platform_api_runtime being reconciled/),
      }),
    ]);
  });

  it.each([
    ['another role', "jsonpath={.status.managedRolesStatus.byStatus.reconciled[?@=='platform_api']}"],
    [
      'the pending list',
      "jsonpath={.status.managedRolesStatus.byStatus['pending-reconciliation'][?@=='platform_api_runtime']}",
    ],
    ['the list merely existing', 'jsonpath={.status.managedRolesStatus.byStatus.reconciled}'],
    [
      'a position in the list (its order follows the database)',
      'jsonpath={.status.managedRolesStatus.byStatus.reconciled[0]}=platform_api_runtime',
    ],
  ])('reports a role await on %s', (_, expression) => {
    const findings = databaseAwaitedBeforeService(
      clusterAwaiting(JSON.stringify(['condition=Ready', expression])),
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/managed role platform_api_runtime/),
    ]);
  });

  it.each([
    `jsonpath={.status.managedRolesStatus.byStatus.reconciled[?(@ == "platform_api_runtime")]}`,
    "jsonpath={.status.managedRolesStatus.byStatus.reconciled[?@=='platform_api_runtime']}=platform_api_runtime",
  ])('accepts the role await written as %s', (expression) => {
    expect(
      databaseAwaitedBeforeService(clusterAwaiting(JSON.stringify(['condition=Ready', expression]))),
    ).toEqual([]);
  });

  it('waits for every managed role, not only the first', () => {
    const withSecondRole = planted(staging, clusterType, (inputs) => {
      const spec = inputs.spec as { managed: { roles: { name: string }[] } };
      spec.managed.roles.push({ name: 'platform_api_reporting' });
      return inputs;
    });
    expect(databaseAwaitedBeforeService(withSecondRole).map((f) => f.message)).toEqual([
      expect.stringMatching(/^no await on managed role platform_api_reporting being reconciled/),
    ]);
  });

  it('reports a Pooler without an await on its phase', () => {
    const findings = databaseAwaitedBeforeService(
      planted(staging, 'kubernetes:postgresql.cnpg.io/v1:Pooler', withoutAnnotations),
    );
    expect(findings.map((f) => f.subject)).toEqual(['Pooler postgres/platform-db-pooler']);
  });

  it('reports a migration group that does not depend on the database at all', () => {
    const unlinked = staging.map((r) =>
      r.type === 'kubernetes:yaml/v2:ConfigGroup' ? { ...r, dependsOn: [] } : r,
    );
    expect(databaseAwaitedBeforeService(unlinked).map((f) => f.message)).toContain(
      'the migration Job does not wait for any CloudNativePG Cluster',
    );
  });

  it('reports a migration Job without a bounded wait for the primary', () => {
    const findings = databaseAwaitedBeforeService(
      planted(staging, 'kubernetes:yaml/v2:ConfigGroup', (inputs) => {
        for (const obj of inputs.objs as {
          kind: string;
          spec: { template: { spec: Record<string, unknown> } };
        }[]) {
          if (obj.kind === 'Job') delete obj.spec.template.spec.initContainers;
        }
        return inputs;
      }),
    );
    expect(findings.map((f) => f.path)).toEqual(['spec.template.spec.initContainers']);
  });
});
