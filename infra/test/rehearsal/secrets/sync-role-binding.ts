import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';

const vaultAuthType = 'kubernetes:secrets.hashicorp.com/v1beta1:VaultAuth';
const source =
  'hashicorp/vault-plugin-auth-kubernetes path_login.go (bound_service_account_namespaces/_names: "namespace not authorized", "service account name not authorized")';

/** What terraform binds to the sync role (module "vault_secret_sync": role_name, service_account, namespaces). */
export interface SyncRoleBinding {
  role: string;
  serviceAccount: string;
  namespaces: string[];
}

/**
 * Every VaultAuth the program creates with the sync role logs in from a namespace and as a service account the
 * role is bound to. Vault answers any other login 403, the operator never writes the Secret, and its consumer
 * (CloudNativePG's bootstrap, Redis) waits for it.
 */
export function syncRoleCoversLogins(
  resources: readonly RegisteredResource[],
  binding: SyncRoleBinding,
): Finding[] {
  return resources
    .filter((r) => r.type === vaultAuthType)
    .flatMap((auth) => {
      const meta = (auth.inputs.metadata ?? {}) as { name?: string; namespace?: string };
      const login = ((auth.inputs.spec ?? {}) as { kubernetes?: { role?: string; serviceAccount?: string } })
        .kubernetes;
      if (login?.role !== binding.role) return [];
      const subject = `VaultAuth ${meta.namespace}/${meta.name}`;
      const findings: Finding[] = [];
      if (!binding.namespaces.includes(meta.namespace ?? '')) {
        findings.push({
          subject,
          path: 'metadata.namespace',
          message: `logs in with role ${binding.role} from namespace ${meta.namespace}, which terraform does not bind (namespaces = [${binding.namespaces.join(', ')}])`,
          source,
        });
      }
      if (login.serviceAccount !== binding.serviceAccount) {
        findings.push({
          subject,
          path: 'spec.kubernetes.serviceAccount',
          message: `logs in as ${login.serviceAccount}, terraform binds ${binding.serviceAccount}`,
          source,
        });
      }
      return findings;
    });
}
