import { readFileSync } from 'node:fs';
import { connectionAddresses } from '@platform/charts';
import { type Stage, stages, vault } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { type MockedPlatform, mockPlatform, type RegisteredResource } from '../../../src/testing/index.js';
import { formatFindings } from '../findings.js';
import { databasePasswordChain } from './database-password-chain.js';
import { readDocumentedSeed } from './documented-seed.js';
import { seededKeys } from './seeded-keys.js';

// Mocks are process-wide: every stage is registered here, one after the other, before any assertion.
const platforms = new Map<Stage, MockedPlatform>();
for (const stage of stages) platforms.set(stage, await mockPlatform(stage));
const seeds = readDocumentedSeed();

const inputOf = (stage: Stage, resources?: RegisteredResource[], seed?: Record<string, string>) => {
  const platform = platforms.get(stage) as MockedPlatform;
  return {
    resources: resources ?? platform.resources,
    seed: seed ?? seeds[stage],
    hosts: {
      pooled: platform.outputs.databasePooledHost as string,
      direct: platform.outputs.databaseDirectHost as string,
    },
  };
};

/** What the program registered before the first-deploy fixes (fixtures/README.md). */
const beforeFixes = (stage: Stage): RegisteredResource[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/before-fixes/${stage}.json`, import.meta.url), 'utf8'));

const dev = () => structuredClone((platforms.get('dev') as MockedPlatform).resources);
const isAppSync = (r: RegisteredResource) =>
  r.type === 'kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret' &&
  r.name === 'platform-db-app-credentials';
const cluster = (resources: RegisteredResource[]) =>
  resources.find((r) => r.type === 'kubernetes:postgresql.cnpg.io/v1:Cluster') as RegisteredResource;
const syncSpec = (resources: RegisteredResource[]) =>
  (resources.find(isAppSync) as RegisteredResource).inputs.spec as {
    path: string;
    destination: { type?: string; transformation: { templates: Record<string, { text: string }> } };
  };

const isRuntimeSync = (r: RegisteredResource) =>
  r.type === 'kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret' &&
  r.name === 'platform-db-runtime-credentials';
type ManagedRole = { name: string; login?: boolean; passwordSecret?: { name: string } };
const managedRoles = (resources: RegisteredResource[]) =>
  (cluster(resources).inputs.spec as { managed: { roles: ManagedRole[] } }).managed.roles;

describe("rehearsal: the database owner's password reaches the database and the service", () => {
  it.each([...stages])(
    '%s: Vault seed -> sync -> CloudNativePG bootstrap Secret, same value in the URLs',
    (stage) => {
      const findings = databasePasswordChain(inputOf(stage));
      expect(findings, formatFindings(findings)).toEqual([]);
    },
  );

  it.each([...stages])(
    '%s before the fixes: the generated password reaches nothing the service reads',
    (stage) => {
      const findings = databasePasswordChain({ resources: beforeFixes(stage) });
      expect(findings.map((f) => `${f.subject} ${f.path}`)).toEqual([
        'Cluster postgres/platform-db spec.bootstrap.initdb.secret',
      ]);
    },
  );

  it('reports a Cluster left to generate its own password, as the program did (nothing carries it to Vault)', () => {
    const resources = dev().filter((r) => !isAppSync(r));
    const initdb = (cluster(resources).inputs.spec as { bootstrap: { initdb: Record<string, unknown> } })
      .bootstrap.initdb;
    delete initdb.secret;
    const findings = databasePasswordChain(inputOf('dev', resources));
    expect(findings).toEqual([
      expect.objectContaining({
        subject: 'Cluster postgres/platform-db',
        message: expect.stringMatching(
          /generates the owner's password into Secret platform-db-app .* nothing registered carries it to secret\/platform-api\/dev/,
        ),
      }),
    ]);
  });

  it('reports a bootstrap Secret nothing writes (the sync went to another namespace)', () => {
    const resources = dev();
    ((resources.find(isAppSync) as RegisteredResource).inputs.metadata as { namespace: string }).namespace =
      'redis';
    expect(databasePasswordChain(inputOf('dev', resources)).map((f) => f.message)).toEqual([
      'nothing writes Secret postgres/platform-db-app-credentials: the bootstrap waits for it forever',
    ]);
  });

  it('reports a password synced from another Vault path than the one the service reads', () => {
    const resources = dev();
    syncSpec(resources).path = 'platform-db/dev';
    expect(databasePasswordChain(inputOf('dev', resources)).map((f) => f.path)).toEqual(['spec.path']);
  });

  it('reports an Opaque Secret and a username other than the owner', () => {
    const resources = dev();
    const spec = syncSpec(resources);
    delete spec.destination.type;
    (spec.destination.transformation.templates.username as { text: string }).text = '{{- "postgres" -}}';
    expect(databasePasswordChain(inputOf('dev', resources)).map((f) => f.path)).toEqual([
      'spec.destination.type',
      'spec.destination.transformation.templates.username',
    ]);
  });

  it('reports a sync whose operator identity does not exist in the namespace', () => {
    const resources = dev().filter(
      (r) =>
        !(
          r.type === 'kubernetes:core/v1:ServiceAccount' &&
          (r.inputs.metadata as { namespace: string }).namespace === 'postgres'
        ),
    );
    expect(databasePasswordChain(inputOf('dev', resources)).map((f) => f.message)).toEqual([
      expect.stringMatching(
        /app-credentials-auth logs in as ServiceAccount vault-secret-sync, which nothing creates in postgres/,
      ),
      expect.stringMatching(
        /runtime-credentials-auth logs in as ServiceAccount vault-secret-sync, which nothing creates/,
      ),
    ]);
  });

  it('reports a documented seed without the password, or with URLs that carry another one', () => {
    const seed = { ...(seeds.dev as Record<string, string>) };
    const { DATABASE_PASSWORD: _, ...withoutPassword } = seed;
    expect(databasePasswordChain(inputOf('dev', undefined, withoutPassword)).map((f) => f.message)).toEqual([
      'the documented seed has no DATABASE_PASSWORD: the sync fails and the database is never created',
    ]);
    const stale = {
      ...seed,
      DATABASE_DIRECT_URL: 'postgresql://app:old@platform-db-rw.postgres.svc.cluster.local:5432/app',
    };
    expect(databasePasswordChain(inputOf('dev', undefined, stale)).map((f) => f.message)).toEqual([
      'DATABASE_DIRECT_URL does not log in as app with DATABASE_PASSWORD',
    ]);
  });
});

describe('rehearsal: the documented seed writes every key the platform syncs from it', () => {
  const inputFor = (stage: Stage, seed?: Record<string, string>) => {
    const platform = platforms.get(stage) as MockedPlatform;
    return {
      resources: platform.resources,
      seedPath: `${vault.kvMount}/${vault.kvPath(stage)}`,
      seed: seed ?? (seeds[stage] as Record<string, string>),
      redisHost: platform.outputs.redisHost as string,
      addresses: connectionAddresses,
    };
  };

  it.each([...stages])('%s: Redis and database passwords are seeded, REDIS_URL points at Redis', (stage) => {
    const findings = seededKeys(inputFor(stage));
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('reports a seed without REDIS_PASSWORD, and a REDIS_URL pointing elsewhere', () => {
    const { REDIS_PASSWORD: _, ...seed } = seeds.prod as Record<string, string>;
    const findings = seededKeys(
      inputFor('prod', { ...seed, REDIS_URL: 'redis://redis.redis.svc.cluster.local:6379' }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'reads REDIS_PASSWORD from secret/platform-api/prod, which the documented seed does not write',
      'redis://redis.redis.svc.cluster.local:6379 is not redis://redis-master.redis.svc.cluster.local:6379, the address the NetworkPolicies allow',
      'points at redis.redis.svc.cluster.local, the platform serves Redis at redis-master.redis.svc.cluster.local',
    ]);
  });
});

describe("rehearsal: the service logs in as the runtime role, with that role's own password", () => {
  it.each([...stages])(
    '%s: a managed login role, its Secret synced from Vault, DATABASE_URL as it',
    (stage) => {
      const roles = managedRoles(structuredClone((platforms.get(stage) as MockedPlatform).resources));
      expect(roles).toEqual([
        expect.objectContaining({
          name: 'platform_api_runtime',
          login: true,
          passwordSecret: { name: 'platform-db-runtime-credentials' },
        }),
      ]);
    },
  );

  it('reports a documented seed whose DATABASE_URL logs in as the owner (the seed before the runtime role)', () => {
    const seed = { ...(seeds.dev as Record<string, string>) };
    const ownerUrl = `postgresql://app:${seed.DATABASE_PASSWORD}@platform-db-pooler.postgres.svc.cluster.local:5432/app`;
    expect(
      databasePasswordChain(inputOf('dev', undefined, { ...seed, DATABASE_URL: ownerUrl })).map(
        (f) => f.message,
      ),
    ).toEqual([
      expect.stringMatching(
        /^DATABASE_URL logs in as the owner app: the service could disable the audit trigger/,
      ),
    ]);
  });

  it('reports a DATABASE_URL carrying the owner password for the runtime role', () => {
    const seed = { ...(seeds.dev as Record<string, string>) };
    const stale = {
      ...seed,
      DATABASE_URL: `postgresql://platform_api_runtime:${seed.DATABASE_PASSWORD}@platform-db-pooler.postgres.svc.cluster.local:5432/app`,
    };
    expect(databasePasswordChain(inputOf('dev', undefined, stale)).map((f) => f.message)).toEqual([
      'DATABASE_URL does not log in as platform_api_runtime with DATABASE_RUNTIME_PASSWORD',
    ]);
  });

  it('reports a managed login role without a passwordSecret (NULL password), and DATABASE_URL as that role', () => {
    const resources = dev().filter((r) => !isRuntimeSync(r));
    delete (managedRoles(resources)[0] as ManagedRole).passwordSecret;
    expect(databasePasswordChain(inputOf('dev', resources)).map((f) => `${f.path}: ${f.message}`)).toEqual([
      expect.stringMatching(
        /^spec.managed.roles\[0\].passwordSecret: role platform_api_runtime may log in but names no passwordSecret/,
      ),
      expect.stringMatching(
        /^seed.DATABASE_URL: DATABASE_URL logs in as platform_api_runtime, which the Cluster neither bootstraps nor manages/,
      ),
    ]);
  });

  it("reports a managed role's Secret nothing writes (the runtime sync left out)", () => {
    const resources = dev().filter((r) => !isRuntimeSync(r));
    expect(databasePasswordChain(inputOf('dev', resources)).map((f) => `${f.path}: ${f.message}`)).toEqual([
      'spec.managed.roles[0].passwordSecret.name: nothing writes Secret postgres/platform-db-runtime-credentials: role platform_api_runtime gets no password, nobody can log in as it',
    ]);
  });

  it('reports a runtime Secret whose username is not the role, or without the reload label', () => {
    const resources = dev();
    const spec = (resources.find(isRuntimeSync) as RegisteredResource).inputs.spec as {
      destination: {
        labels?: Record<string, string>;
        transformation: { templates: Record<string, { text: string }> };
      };
    };
    delete spec.destination.labels;
    (spec.destination.transformation.templates.username as { text: string }).text = '{{- "app" -}}';
    expect(databasePasswordChain(inputOf('dev', resources)).map((f) => `${f.path}: ${f.message}`)).toEqual([
      expect.stringMatching(/^spec.destination.labels: no cnpg.io\/reload/),
      'spec.destination.transformation.templates.username: renders "app", the role is "platform_api_runtime"',
    ]);
  });
});
