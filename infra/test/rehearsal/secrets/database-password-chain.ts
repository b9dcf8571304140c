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
  roleUsername: `${cnpg} internal/management/controller/roles/runnable.go (the username in secret does not match role)`,
  roleNullPassword: `${cnpg} docs/src/declarative_role_management.md (Password management: no passwordSecret, a NULL password)`,
  roleReload: `${cnpg} docs/src/declarative_role_management.md (Password management: cnpg.io/reload)`,
  runtimeRole:
    'app/prisma/migrations/20261204120000_runtime_role (the service runs as a role that owns nothing; migrations as the owner)',
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
    labels?: Record<string, string>;
    transformation?: {
      templates?: Record<string, { text?: string }>;
      includes?: string[];
      excludes?: string[];
    };
  };
}

interface ClusterSpec {
  bootstrap?: { initdb?: { database?: string; owner?: string; secret?: { name?: string } } };
  managed?: {
    roles?: {
      name?: string;
      ensure?: string;
      login?: boolean;
      passwordSecret?: { name?: string };
      disablePassword?: boolean;
    }[];
  };
}

/** A role that logs in with a password from a Secret the Cluster names. */
interface RoleLogin {
  role: string;
  secretName: string;
  /** Where the Cluster names the Secret. */
  path: string;
  managed: boolean;
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
 * Follows each database role's password from whoever writes it to whoever reads it: the CloudNativePG Cluster's
 * bootstrap Secret for the owner and the `passwordSecret` of each managed role that logs in (namespace, name,
 * `username`/`password`), the Vault Secrets Operator sync that writes it (from which Vault path and key, logging
 * in as which service account), the Vault path the service reads DATABASE_URL/DATABASE_DIRECT_URL from, and the
 * documented seed: DATABASE_DIRECT_URL (migrations) logs in as the owner, DATABASE_URL (the service) as a
 * managed role that is not the owner, each with its own role's password.
 * A break anywhere means the first `pulumi up` ends with a database the migration Job and pods cannot log in to,
 * or with a service that owns, and so can alter, the audit table.
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
    const spec = specOf<ClusterSpec>(cluster);
    const initdb = spec.bootstrap?.initdb;
    if (!initdb) continue;
    const owner = initdb.owner ?? initdb.database ?? 'app';

    if (!initdb.secret?.name) {
      find(
        subject,
        'spec.bootstrap.initdb.secret',
        `CloudNativePG generates the owner's password into Secret ${metaOf(cluster).name}-app in ${namespace}; nothing registered carries it to ${readsAt}, where the service and the migration Job read DATABASE_URL and DATABASE_DIRECT_URL`,
        sources.generated,
      );
      continue;
    }

    const logins: RoleLogin[] = [
      {
        role: owner,
        secretName: initdb.secret.name,
        path: 'spec.bootstrap.initdb.secret.name',
        managed: false,
      },
    ];
    (spec.managed?.roles ?? []).forEach((role, index) => {
      if (!role.name || role.ensure === 'absent' || !role.login || role.disablePassword) return;
      const secretName = role.passwordSecret?.name;
      if (!secretName) {
        find(
          subject,
          `spec.managed.roles[${index}].passwordSecret`,
          `role ${role.name} may log in but names no passwordSecret: CloudNativePG creates it with a NULL password, nobody can log in as it`,
          sources.roleNullPassword,
        );
        return;
      }
      logins.push({
        role: role.name,
        secretName,
        path: `spec.managed.roles[${index}].passwordSecret.name`,
        managed: true,
      });
    });

    /** Each role's Vault password key and the subject of the sync that writes it. */
    const passwordKeys = new Map<string, { key: string; subject: string }>();
    for (const login of logins) {
      const inNamespace = (r: RegisteredResource) => metaOf(r).namespace === namespace;
      const syncs = resources.filter(
        (r) =>
          r.type === types.staticSecret &&
          inNamespace(r) &&
          specOf<StaticSecretSpec>(r).destination?.name === login.secretName,
      );
      const plain = resources.filter(
        (r) => r.type === types.secret && inNamespace(r) && metaOf(r).name === login.secretName,
      );
      if (plain.length > 0) {
        find(
          subject,
          login.path,
          `Secret ${namespace}/${login.secretName} is written by the program itself, not from ${readsAt}: the service's URLs cannot carry its password`,
          sources.reader,
        );
      }
      if (syncs.length === 0 && plain.length === 0) {
        find(
          subject,
          login.path,
          login.managed
            ? `nothing writes Secret ${namespace}/${login.secretName}: role ${login.role} gets no password, nobody can log in as it`
            : `nothing writes Secret ${namespace}/${login.secretName}: the bootstrap waits for it forever`,
          login.managed ? sources.roleNullPassword : sources.bootstrapWaits,
        );
      }
      for (const sync of syncs) {
        const checked = syncFindings(sync, { resources, login, readsAt, seed: input.seed });
        findings.push(...checked.findings);
        if (checked.passwordKey)
          passwordKeys.set(login.role, { key: checked.passwordKey, subject: checked.subject });
      }
    }
    if (input.seed) {
      const declared = new Set(logins.map((login) => login.role));
      findings.push(...seedFindings({ owner, declared, passwordKeys, seed: input.seed, hosts: input.hosts }));
    }
  }
  return findings;
}

function syncFindings(
  sync: RegisteredResource,
  context: {
    resources: readonly RegisteredResource[];
    login: RoleLogin;
    readsAt: string;
    seed: Readonly<Record<string, string>> | undefined;
  },
): { findings: Finding[]; passwordKey?: string; subject: string } {
  const findings: Finding[] = [];
  const subject = `VaultStaticSecret ${at(sync)}`;
  const find = (path: string, message: string, source: string) =>
    findings.push({ subject, path, message, source });
  const spec = specOf<StaticSecretSpec>(sync);
  const destination = spec.destination ?? {};
  const namespace = metaOf(sync).namespace;
  const { role, managed } = context.login;

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
  if (managed && destination.labels?.['cnpg.io/reload'] !== 'true') {
    find(
      'spec.destination.labels',
      `no cnpg.io/reload: "true" label: a rotated password reaches role ${role} only at some later reconciliation, while the URLs already carry it`,
      sources.roleReload,
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
  if (rendered.username && username !== undefined && username !== role) {
    find(
      'spec.destination.transformation.templates.username',
      managed
        ? `renders "${username}", the role is "${role}"`
        : `renders "${username}", the owner is "${role}"`,
      managed ? sources.roleUsername : sources.username,
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
  return { findings, passwordKey, subject };
}

/**
 * The documented seed holds every role's password key; DATABASE_DIRECT_URL logs in as the owner with the
 * owner's password, DATABASE_URL as a managed role other than the owner with that role's password.
 */
function seedFindings(context: {
  owner: string;
  /** Roles the Cluster gives a password Secret (a missing sync of one is reported where it is declared). */
  declared: ReadonlySet<string>;
  passwordKeys: ReadonlyMap<string, { key: string; subject: string }>;
  seed: Readonly<Record<string, string>>;
  hosts?: { pooled: string; direct: string };
}): Finding[] {
  const { seed, owner, passwordKeys } = context;
  const findings: Finding[] = [];
  const missing = new Set<string>();
  for (const { key, subject } of passwordKeys.values()) {
    if (seed[key] === undefined) {
      missing.add(key);
      findings.push({
        subject,
        path: `seed.${key}`,
        message: `the documented seed has no ${key}: the sync fails and the database is never created`,
        source: sources.seed,
      });
    }
  }

  for (const [urlKey, host] of [
    ['DATABASE_URL', context.hosts?.pooled],
    ['DATABASE_DIRECT_URL', context.hosts?.direct],
  ] as const) {
    const value = seed[urlKey];
    const ownerLogin = passwordKeys.get(owner);
    const report = (subject: string, path: string, message: string, source = sources.seed) =>
      findings.push({ subject, path, message, source });
    if (value === undefined) {
      report(
        ownerLogin?.subject ?? 'documented seed',
        `seed.${urlKey}`,
        `the documented seed has no ${urlKey}`,
      );
      continue;
    }
    const url = new URL(value);
    const user = decodeURIComponent(url.username);
    if (urlKey === 'DATABASE_URL' && user === owner) {
      report(
        ownerLogin?.subject ?? 'documented seed',
        'seed.DATABASE_URL',
        `DATABASE_URL logs in as the owner ${owner}: the service could disable the audit trigger, drop or rename tables; it must log in as the runtime role`,
        sources.runtimeRole,
      );
    }
    // The service's URL as any other role: that role must be one the Cluster creates with a synced password.
    const role = urlKey === 'DATABASE_DIRECT_URL' ? owner : user === owner ? undefined : user;
    const login = role === undefined ? undefined : passwordKeys.get(role);
    if (role !== undefined && !context.declared.has(role)) {
      report(
        'documented seed',
        `seed.${urlKey}`,
        `${urlKey} logs in as ${role}, which the Cluster neither bootstraps nor manages with a synced password`,
        sources.roleNullPassword,
      );
    }
    if (login && !missing.has(login.key)) {
      if (user !== role || decodeURIComponent(url.password) !== seed[login.key]) {
        report(login.subject, `seed.${login.key}`, `${urlKey} does not log in as ${role} with ${login.key}`);
      }
    }
    if (host !== undefined && url.hostname !== host) {
      report(
        login?.subject ?? ownerLogin?.subject ?? 'documented seed',
        `seed.${urlKey}`,
        `${urlKey} points at ${url.hostname}, the platform serves it at ${host}`,
      );
    }
  }
  return findings;
}
