import { type Stage, stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/index.js';
import { formatFindings } from '../findings.js';
import { type SyncRoleBinding, syncRoleCoversLogins } from './sync-role-binding.js';

// Mocks are process-wide: every stage is registered here, one after the other, before any assertion.
const registered = new Map<Stage, RegisteredResource[]>();
for (const stage of stages) registered.set(stage, (await mockPlatform(stage)).resources);

/**
 * The binding terraform must give the sync role in every stage (terraform/modules/vault-secret-sync): Redis
 * reads its password in `redis`, CloudNativePG its owner's credentials (and, with backups, the bucket's) in
 * `postgres`.
 */
const required: SyncRoleBinding = {
  role: 'platform-secret-sync',
  serviceAccount: 'vault-secret-sync',
  namespaces: ['redis', 'postgres'],
};

describe("rehearsal: the sync role is bound where the platform's VaultAuths log in", () => {
  it.each([...stages])('%s: every sync logs in from redis or postgres as vault-secret-sync', (stage) => {
    const findings = syncRoleCoversLogins(registered.get(stage) as RegisteredResource[], required);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it("reports the database credentials' login under a binding to redis alone (local and dev terraform today)", () => {
    const findings = syncRoleCoversLogins(registered.get('dev') as RegisteredResource[], {
      ...required,
      namespaces: ['redis'],
    });
    expect(findings.map((f) => `${f.subject} ${f.path}`)).toEqual([
      'VaultAuth postgres/platform-db-app-credentials-auth metadata.namespace',
      'VaultAuth postgres/platform-db-runtime-credentials-auth metadata.namespace',
    ]);
  });

  it('reports a login as a service account the role does not bind', () => {
    const findings = syncRoleCoversLogins(registered.get('prod') as RegisteredResource[], {
      ...required,
      serviceAccount: 'other-account',
    });
    expect(new Set(findings.map((f) => f.path))).toEqual(new Set(['spec.kubernetes.serviceAccount']));
  });
});
