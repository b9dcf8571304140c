/**
 * Whether Vault can review the service account tokens it is given to log in. Read in
 * hashicorp/vault-plugin-auth-kubernetes v0.24.1, the Kubernetes auth plugin of the Vault 2.0 line the platform
 * pins (chart vault 0.34.1, Vault 2.0.4); these files are identical from v0.23.0 to v0.24.1 but for their
 * copyright line, so the rule holds whichever of those Vault 2.0.4 bundles:
 * - token_review.go, Review: the TokenReview request carries `token_reviewer_jwt` as its bearer token, or,
 *   when that is empty, the JWT being logged in with;
 * - backend.go, loadConfig: only a Vault running in the cluster falls back to its own pod's token
 *   (/var/run/secrets/kubernetes.io/serviceaccount/token); an external Vault has none.
 * The bearer must be allowed to create tokenreviews (ClusterRole system:auth-delegator), or the API server
 * answers 403 and so does every login. Rule: the auth config sets token_reviewer_jwt from a
 * service-account-token Secret whose service account a ClusterRoleBinding binds to system:auth-delegator.
 */
import type { TerraformConfig } from '../support/terraform.js';

type Block = Record<string, unknown>;
const first = (value: unknown): Block => ((Array.isArray(value) ? value[0] : value) ?? {}) as Block;
const target = (expression: unknown, pattern: RegExp) => pattern.exec(String(expression ?? ''))?.[1];

export function tokenReviewerFindings(config: TerraformConfig): string[] {
  const authConfigs = Object.entries(config.resource?.vault_kubernetes_auth_backend_config ?? {});
  if (authConfigs.length === 0) return [];
  return authConfigs.flatMap(([name, [auth]]) => {
    const where = `vault_kubernetes_auth_backend_config.${name}`;
    const secretName = target(
      auth?.token_reviewer_jwt,
      /^\$\{kubernetes_secret_v1\.(\w+)\.data(?:\.token|\["token"\])\}$/,
    );
    if (!secretName) {
      return [
        `${where}: no token_reviewer_jwt from a service account token; logins then review themselves ` +
          '(token_review.go) and a service account without system:auth-delegator gets 403',
      ];
    }
    const secret = config.resource?.kubernetes_secret_v1?.[secretName]?.[0];
    const metadata = first(secret?.metadata);
    const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
    const serviceAccount = target(
      annotations['kubernetes.io/service-account.name'],
      /^\$\{kubernetes_service_account_v1\.(\w+)\.metadata\[0\]\.name\}$/,
    );
    if (secret?.type !== 'kubernetes.io/service-account-token' || !serviceAccount) {
      return [
        `${where}: kubernetes_secret_v1.${secretName} is not the token of a service account declared here`,
      ];
    }
    const delegates = Object.values(config.resource?.kubernetes_cluster_role_binding_v1 ?? {}).some(
      ([binding]) => {
        const role = first(binding?.role_ref);
        const subjects = (binding?.subject ?? []) as Block[];
        return (
          role.kind === 'ClusterRole' &&
          role.name === 'system:auth-delegator' &&
          subjects.some(
            (subject) =>
              subject.kind === 'ServiceAccount' &&
              target(subject.name, /^\$\{kubernetes_service_account_v1\.(\w+)\.metadata\[0\]\.name\}$/) ===
                serviceAccount,
          )
        );
      },
    );
    return delegates
      ? []
      : [
          `${where}: service account ${serviceAccount} is not bound to system:auth-delegator, so its reviews get 403`,
        ];
  });
}
