# Stage "dev": configures the stage's external Vault. Apply before `pulumi up -s dev`.

module "vault_app_access" {
  source = "../../modules/vault-app-access"

  namespace       = "platform-api"
  service_account = "platform-api"
  role_name       = "platform-api"
  policy_name     = "platform-api"
  auth_mount      = "kubernetes"
  kv_mount        = "secret"
  kv_path         = "platform-api/dev"
  transit_mount   = "transit"
  transit_key     = "platform-api"
  create_kv_mount = true

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
  kv_paths        = ["platform-api/dev"]
}
