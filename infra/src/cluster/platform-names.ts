/**
 * Names only the platform program uses (everything shared with the service, charts, policies and terraform
 * lives in @platform/charts/contract).
 */
export const operatorNamespaces = {
  cloudnativePg: 'cnpg-system',
  vaultSecretsOperator: 'vault-secrets-operator',
} as const;

/** Kubernetes Secrets the Vault Secrets Operator writes from Vault KV. */
export const syncedSecrets = {
  /** Identity the operator logs in with in each namespace that receives a synced secret. */
  serviceAccount: 'vault-secret-sync',
  redis: { name: 'redis-auth', vaultKey: 'REDIS_PASSWORD' },
  /** The application owner's credentials CloudNativePG bootstraps the database with (basic-auth). */
  database: { name: 'platform-db-app-credentials', vaultKey: 'DATABASE_PASSWORD' },
  /** The service's runtime role's credentials, for the Cluster's managed role (basic-auth). */
  databaseRuntime: { name: 'platform-db-runtime-credentials', vaultKey: 'DATABASE_RUNTIME_PASSWORD' },
  backup: {
    name: 'platform-db-backup-credentials',
    accessKeyId: 'ACCESS_KEY_ID',
    secretAccessKey: 'ACCESS_SECRET_KEY',
  },
} as const;

export const istioIngress = {
  /** The gateway chart labels its pods `istio: <release name without "istio-">`. */
  release: 'istio-ingress',
  selector: { istio: 'ingress' },
} as const;

/** Istio extension provider name the mesh sends spans to. */
export const tracingProvider = 'otel-collector';

export const barmanCloudPlugin = 'barman-cloud.cloudnative-pg.io';

/** Argo Rollouts' release and namespace (the chart's conventional ones, which its docs and CLI assume). */
export const argoRollouts = { release: 'argo-rollouts', namespace: 'argo-rollouts' } as const;
