# Stage "local": configures the dev-mode Vault that `pulumi up -s local` installs in the kind cluster.
# Reach it first with `kubectl -n vault port-forward svc/vault 8200:8200`. Its dev server mounts secret/
# (KV v2) itself, so only the transit mount is created here.

module "vault_app_access" {
  source = "../../modules/vault-app-access"

  namespace       = "platform-api"
  service_account = "platform-api"
  role_name       = "platform-api"
  policy_name     = "platform-api"
  auth_mount      = "kubernetes"
  kv_mount        = "secret"
  kv_path         = "platform-api/local"
  transit_mount   = "transit"
  transit_key     = "platform-api"
  create_kv_mount = false

  kubernetes_host    = var.kubernetes_host
  kubernetes_ca_cert = var.kubernetes_ca_cert
}

module "vault_secret_sync" {
  source = "../../modules/vault-secret-sync"

  role_name       = "platform-secret-sync"
  policy_name     = "platform-secret-sync"
  service_account = "vault-secret-sync"
  namespaces      = ["redis"]
  auth_mount      = module.vault_app_access.auth_mount
  kv_mount        = "secret"
  kv_paths        = ["platform-api/local"]
}
