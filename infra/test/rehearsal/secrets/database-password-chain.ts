import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';

const types = {
  cluster: 'kubernetes:postgresql.cnpg.io/v1:Cluster',
  staticSecret: 'kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret',
  vaultAuth: 'kubernetes:secrets.hashicorp.com/v1beta1:VaultAuth',
  secret: 'kubernetes:core/v1:Secret',
  serviceAccount: 'kubernetes:core/v1:ServiceAccount',
  configGroup: 'kubernetes:yaml/v2:ConfigGroup',
} as const;

const cnpg = 'cloudnative-pg@v1.30.0';
const vso = 'vault-secrets-operator@v1.4.1';
const sources = {
  generated: `${cnpg} internal/controller/cluster_create.go (reconcileAppUserSecret), api/v1/cluster_funcs.go (GetApplicationSecretName)`,
  bootstrapWaits: `${cnpg} pkg/specs/jobs.go (initdb job: secretKeyRef to the application secret, optional: false)`,
  basicAuth: `${cnpg} docs/src/bootstrap.md; internal/management/utils/secrets.go (GetUserPasswordFromSecret)`,
  username: `${cnpg} internal/management/controller/instance_controller.go (reconcileUser: wrong username)`,
  destination: `${vso} api/v1beta1/common.go (Destination, Transformation)`,
  auth: `${vso} api/v1beta1/vaultstaticsecret_types.go (vaultAuthRef: a VaultAuth in the same namespace)`,
  reader: 'app/src/config/vault-source.ts (the service reads VAULT_KV_MOUNT/VAULT_KV_PATH at start)',
  seed: 'docs/secrets.md (vault-values block), app/src/cli/vault-seed.ts',
};

interface Meta {
  name?: string;
  namespace?: string;
}
interface StaticSecretSpec {
  vaultAuthRef?: string;
  mount?: string;
  path?: string;
  destination?: {
    name?: string;
    create?: boolean;
    type?: string;
    transformation?: {
      templates?: Record<string, { text?: string }>;
      includes?: string[];
      excludes?: string[];
    };
  };
}

const metaOf = (r: RegisteredResource) => (r.inputs.metadata ?? {}) as Meta;
const specOf = <T>(r: RegisteredResource) => (r.inputs.spec ?? {}) as T;
const at = (r: RegisteredResource) => `${metaOf(r).namespace}/${metaOf(r).name}`;

/** The Vault key a VSO template renders (`get .Secrets "KEY"`), or the literal it renders (`{{- "app" -}}`). */
function templateSource(text: string | undefined): { vaultKey?: string; literal?: string } {
  const key = /get\s+\.Secrets\s+"([^"]+)"/.exec(text ?? '');
  if (key) return { vaultKey: key[1] };
  const literal = /^\{\{-?\s*"([^"]*)"\s*-?\}\}$/.exec((text ?? '').trim());
  return literal ? { literal: literal[1] } : {};
}

/** Where the service reads its secrets (the ConfigMap among its objects): `<mount>/<path>`. */
function serviceReads(resources: readonly RegisteredResource[]) {
  for (const group of resources.filter((r) => r.type === types.configGroup)) {
    for (const obj of (group.inputs.objs ?? []) as { kind?: string; data?: Record<string, string> }[]) {
      if (obj.kind === 'ConfigMap' && obj.data?.VAULT_KV_PATH) {
        return { mount: obj.data.VAULT_KV_MOUNT ?? 'secret', path: obj.data.VAULT_KV_PATH };
      }
    }
  }
  return undefined;
}

export interface DatabasePasswordChainInput {
  resources: readonly RegisteredResource[];
  /** The stage's documented Vault values (placeholders for generated ones); absent: not checked. */
  seed?: Readonly<Record<string, string>>;
  /** Where the platform says the pooler and the primary are (the program's outputs). */
  hosts?: { pooled: string; direct: string };
}

/**
 * Follows the database owner's password from whoever writes it to whoever reads it: the CloudNativePG Cluster's
 * bootstrap Secret (namespace, name, `username`/`password`), the Vault Secrets Operator sync that writes it (from
 * which Vault path and key, logging in as which service account), the Vault path the service reads
 * DATABASE_URL/DATABASE_DIRECT_URL from, and the documented seed that puts the same password in both.
 * A break anywhere means the first `pulumi up` ends with a database the migration Job and pods cannot log in to.
 */
export function databasePasswordChain(input: DatabasePasswordChainInput): Finding[] {
  const { resources } = input;
  const reader = serviceReads(resources);
  const findings: Finding[] = [];
  const find = (subject: string, path: string, message: string, source: string) =>
    findings.push({ subject, path, message, source });

  if (!reader) {
    find(
      'service ConfigMap',
      'data.VAULT_KV_PATH',
      'the service reads no Vault path: nothing gives it DATABASE_URL',
      sources.reader,
    );
  }
  const readsAt = reader ? `${reader.mount}/${reader.path}` : '(nowhere)';

  for (const cluster of resources.filter((r) => r.type === types.cluster)) {
    const subject = `Cluster ${at(cluster)}`;
    const namespace = metaOf(cluster).namespace;
    const initdb = specOf<{
      bootstrap?: { initdb?: { database?: string; owner?: string; secret?: { name?: string } } };
    }>(cluster).bootstrap?.initdb;
    if (!initdb) continue;
    const owner = initdb.owner ?? initdb.database ?? 'app';
    const secretName = initdb.secret?.name;

    if (!secretName) {
      find(
        subject,
        'spec.bootstrap.initdb.secret',
        `CloudNativePG generates the owner's password into Secret ${metaOf(cluster).name}-app in ${namespace}; nothing registered carries it to ${readsAt}, where the service and the migration Job read DATABASE_URL and DATABASE_DIRECT_URL`,
        sources.generated,
      );
      continue;
    }

    const inNamespace = (r: RegisteredResource) => metaOf(r).namespace === namespace;
    const syncs = resources.filter(
      (r) =>
        r.type === types.staticSecret &&
        inNamespace(r) &&
        specOf<StaticSecretSpec>(r).destination?.name === secretName,
    );
    const plain = resources.filter(
      (r) => r.type === types.secret && inNamespace(r) && metaOf(r).name === secretName,
    );
    if (plain.length > 0) {
      find(
        subject,
        'spec.bootstrap.initdb.secret.name',
        `Secret ${namespace}/${secretName} is written by the program itself, not from ${readsAt}: the service's URLs cannot carry its password`,
        sources.reader,
      );
    }
    if (syncs.length === 0 && plain.length === 0) {
      find(
        subject,
        'spec.bootstrap.initdb.secret.name',
        `nothing writes Secret ${namespace}/${secretName}: the bootstrap waits for it forever`,
        sources.bootstrapWaits,
      );
    }

    for (const sync of syncs) {
      findings.push(
        ...syncFindings(sync, { resources, owner, readsAt, reader, seed: input.seed, hosts: input.hosts }),
      );
    }
  }
  return findings;
}

function syncFindings(
  sync: RegisteredResource,
  context: {
    resources: readonly RegisteredResource[];
    owner: string;
    readsAt: string;
    reader: { mount: string; path: string } | undefined;
    seed: Readonly<Record<string, string>> | undefined;
    hosts: { pooled: string; direct: string } | undefined;
  },
): Finding[] {
  const findings: Finding[] = [];
  const subject = `VaultStaticSecret ${at(sync)}`;
  const find = (path: string, message: string, source: string) =>
    findings.push({ subject, path, message, source });
  const spec = specOf<StaticSecretSpec>(sync);
  const destination = spec.destination ?? {};
  const namespace = metaOf(sync).namespace;

  if (destination.create !== true) {
    find(
      'spec.destination.create',
      'not created by the operator: it only updates a Secret that already exists, and none does',
      sources.destination,
    );
  }
  if (destination.type !== 'kubernetes.io/basic-auth') {
    find(
      'spec.destination.type',
      `${destination.type ?? 'Opaque'}: CloudNativePG takes a kubernetes.io/basic-auth Secret`,
      sources.basicAuth,
    );
  }

  const templates = destination.transformation?.templates ?? {};
  const rendered = Object.fromEntries(
    Object.entries(templates).map(([key, t]) => [key, templateSource(t.text)]),
  );
  const copied = (destination.transformation?.includes ?? []).map((pattern) =>
    pattern.replace(/^\^|\$$/g, ''),
  );
  for (const key of ['username', 'password']) {
    if (!rendered[key] && !copied.includes(key)) {
      find('spec.destination.transformation', `the Secret has no "${key}" key`, sources.basicAuth);
    }
  }
  const username =
    rendered.username?.literal ??
    (rendered.username?.vaultKey ? context.seed?.[rendered.username.vaultKey] : undefined);
  if (rendered.username && username !== undefined && username !== context.owner) {
    find(
      'spec.destination.transformation.templates.username',
      `renders "${username}", the owner is "${context.owner}"`,
      sources.username,
    );
  }

  const readsFrom = `${spec.mount}/${spec.path}`;
  if (readsFrom !== context.readsAt) {
    find(
      'spec.path',
      `the password comes from ${readsFrom}, the service reads its database URLs from ${context.readsAt}`,
      sources.reader,
    );
  }

  const auth = context.resources.find(
    (r) =>
      r.type === types.vaultAuth && metaOf(r).namespace === namespace && metaOf(r).name === spec.vaultAuthRef,
  );
  if (!auth) {
    find(
      'spec.vaultAuthRef',
      `no VaultAuth ${namespace}/${spec.vaultAuthRef}: the operator cannot log in to Vault`,
      sources.auth,
    );
  } else {
    const account = specOf<{ kubernetes?: { serviceAccount?: string } }>(auth).kubernetes?.serviceAccount;
    const exists = context.resources.some(
      (r) =>
        r.type === types.serviceAccount && metaOf(r).namespace === namespace && metaOf(r).name === account,
    );
    if (!exists) {
      find(
        'spec.vaultAuthRef',
        `VaultAuth ${namespace}/${spec.vaultAuthRef} logs in as ServiceAccount ${account}, which nothing creates in ${namespace}`,
        sources.auth,
      );
    }
  }

  const passwordKey = rendered.password?.vaultKey ?? (copied.includes('password') ? 'password' : undefined);
  if (context.seed && passwordKey) findings.push(...seedFindings(subject, passwordKey, context));
  return findings;
}

/** The documented seed holds the password key, and both URLs carry that same password for the owner. */
function seedFindings(
  subject: string,
  passwordKey: string,
  context: {
    owner: string;
    seed?: Readonly<Record<string, string>>;
    hosts?: { pooled: string; direct: string };
  },
): Finding[] {
  const seed = context.seed ?? {};
  const findings: Finding[] = [];
  const find = (message: string) =>
    findings.push({ subject, path: `seed.${passwordKey}`, message, source: sources.seed });
  const password = seed[passwordKey];
  if (password === undefined) {
    find(`the documented seed has no ${passwordKey}: the sync fails and the database is never created`);
    return findings;
  }
  for (const [key, host] of [
    ['DATABASE_URL', context.hosts?.pooled],
    ['DATABASE_DIRECT_URL', context.hosts?.direct],
  ] as const) {
    const value = seed[key];
    if (value === undefined) {
      find(`the documented seed has no ${key}`);
      continue;
    }
    const url = new URL(value);
    if (decodeURIComponent(url.username) !== context.owner || decodeURIComponent(url.password) !== password) {
      find(`${key} does not log in as ${context.owner} with ${passwordKey}`);
    }
    if (host !== undefined && url.hostname !== host) {
      find(`${key} points at ${url.hostname}, the platform serves it at ${host}`);
    }
  }
  return findings;
}
