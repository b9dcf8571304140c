import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { syncedSecrets } from '../cluster/platform-names.js';
import type { VaultConfig } from '../config/index.js';

export interface SecretSyncArgs {
  /** Where the Secret is written; every object here waits for the namespace. */
  namespace: k8s.core.v1.Namespace;
  /** Kubernetes Secret to write. */
  secretName: string;
  /** KV v2 path under the configured mount. */
  vaultPath: string;
  /** Keys of the Vault secret copied as they are; nothing else of the Vault secret reaches Kubernetes. */
  keys: readonly string[];
  /**
   * Keys of the Secret rendered from the Vault secret (Go templates, `vaultValue()` / `literalValue()`), for a
   * consumer that expects its own key names (e.g. `username`/`password` of a basic-auth Secret).
   */
  templates?: Readonly<Record<string, string>>;
  /** How often the operator re-reads Vault (a Go duration); 1h when absent. */
  refreshAfter?: string;
  /** Secret type, e.g. `kubernetes.io/basic-auth`; Opaque when absent. */
  secretType?: string;
  /** Labels the operator puts on the Secret (a consumer may watch only labelled Secrets). */
  secretLabels?: Readonly<Record<string, string>>;
  /**
   * The identity the operator logs in with. Pass one when several syncs share a namespace: each sync would
   * otherwise create the same ServiceAccount, and the second create fails on a real cluster.
   */
  serviceAccount?: k8s.core.v1.ServiceAccount;
  vault: VaultConfig;
  /** The Vault Secrets Operator must be running (its CRDs installed) first. */
  operator: pulumi.Resource;
}

/**
 * A template rendering one Vault key, failing the sync (condition SecretSynced false, a Kubernetes event naming
 * the key) when the key is absent instead of writing an empty value. `get`, `hasKey` and `fail` are among the
 * template functions the operator allows (hashicorp/vault-secrets-operator@v1.4.1 template/funcs.go).
 */
export function vaultValue(key: string): string {
  return `{{- if not (hasKey .Secrets "${key}") }}{{ fail "${key} is not in Vault: run the documented seed (docs/secrets.md)" }}{{ end }}{{- get .Secrets "${key}" -}}`;
}

/** A template rendering a fixed value (a name the consumer must see, not a secret). */
export function literalValue(value: string): string {
  return `{{- "${value}" -}}`;
}

/**
 * Copies selected keys of one Vault KV secret into a Kubernetes Secret with the Vault Secrets Operator, logging
 * in with Kubernetes auth as a dedicated service account (bound to `vault.syncRole` by terraform/).
 */
export class SecretSync extends pulumi.ComponentResource {
  readonly secretName: string;
  readonly serviceAccount: k8s.core.v1.ServiceAccount;

  constructor(name: string, args: SecretSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:vault:SecretSync', name, {}, opts);
    const child = { parent: this, dependsOn: [args.operator] };
    const namespace = args.namespace.metadata.name;

    const account =
      args.serviceAccount ??
      new k8s.core.v1.ServiceAccount(
        `${name}-account`,
        { metadata: { name: syncedSecrets.serviceAccount, namespace } },
        { parent: this },
      );

    const auth = new k8s.apiextensions.CustomResource(
      `${name}-auth`,
      {
        apiVersion: 'secrets.hashicorp.com/v1beta1',
        kind: 'VaultAuth',
        metadata: { name: `${args.secretName}-auth`, namespace },
        spec: {
          method: 'kubernetes',
          mount: args.vault.authMount,
          kubernetes: { role: args.vault.syncRole, serviceAccount: syncedSecrets.serviceAccount },
        },
      },
      { ...child, dependsOn: [args.operator, account] },
    );

    new k8s.apiextensions.CustomResource(
      name,
      {
        apiVersion: 'secrets.hashicorp.com/v1beta1',
        kind: 'VaultStaticSecret',
        metadata: {
          name: args.secretName,
          namespace,
          // Consumers depend on this sync: `pulumi up` waits until the Secret was written (condition SecretSynced
          // True: hashicorp/vault-secrets-operator@v1.4.1 controllers/vaultstaticsecret_controller.go), and a
          // missing Vault key fails here, by name, instead of as a consumer stuck on an absent Secret.
          annotations: { 'pulumi.com/waitFor': 'condition=SecretSynced' },
        },
        spec: {
          vaultAuthRef: `${args.secretName}-auth`,
          type: 'kv-v2',
          mount: args.vault.kvMount,
          path: args.vaultPath,
          refreshAfter: args.refreshAfter ?? '1h',
          destination: {
            name: args.secretName,
            create: true,
            type: args.secretType,
            labels: args.secretLabels,
            transformation: transformation(args.keys, args.templates),
          },
        },
      },
      { ...child, dependsOn: [auth] },
    );

    this.secretName = args.secretName;
    this.serviceAccount = account;
    this.registerOutputs({});
  }
}

/**
 * Copy only what the consumer needs, never the service's other secrets at the same path. An empty `includes`
 * would let every key through, so a sync of templates alone excludes every raw key with `.*` (filters never
 * apply to templates: hashicorp/vault-secrets-operator@v1.4.1 api/v1beta1/common.go, Transformation).
 */
function transformation(keys: readonly string[], templates: Readonly<Record<string, string>> | undefined) {
  const rendered = templates
    ? { templates: Object.fromEntries(Object.entries(templates).map(([key, text]) => [key, { text }])) }
    : {};
  const filters = keys.length > 0 ? { includes: keys.map((key) => `^${key}$`) } : { excludes: ['.*'] };
  return { excludeRaw: true, ...rendered, ...filters };
}
