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
  /** Only these keys of the Vault secret reach Kubernetes. */
  keys: readonly string[];
  vault: VaultConfig;
  /** The Vault Secrets Operator must be running (its CRDs installed) first. */
  operator: pulumi.Resource;
}

/**
 * Copies selected keys of one Vault KV secret into a Kubernetes Secret with the Vault Secrets Operator, logging
 * in with Kubernetes auth as a dedicated service account (bound to `vault.syncRole` by terraform/).
 */
export class SecretSync extends pulumi.ComponentResource {
  readonly secretName: string;

  constructor(name: string, args: SecretSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:vault:SecretSync', name, {}, opts);
    const child = { parent: this, dependsOn: [args.operator] };
    const namespace = args.namespace.metadata.name;

    const account = new k8s.core.v1.ServiceAccount(
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
        metadata: { name: args.secretName, namespace },
        spec: {
          vaultAuthRef: `${args.secretName}-auth`,
          type: 'kv-v2',
          mount: args.vault.kvMount,
          path: args.vaultPath,
          refreshAfter: '1h',
          destination: {
            name: args.secretName,
            create: true,
            // Copy only what the consumer needs, never the service's other secrets at the same path.
            transformation: { excludeRaw: true, includes: args.keys.map((key) => `^${key}$`) },
          },
        },
      },
      { ...child, dependsOn: [auth] },
    );

    this.secretName = args.secretName;
    this.registerOutputs({});
  }
}
