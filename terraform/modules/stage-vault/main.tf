# The Vault side of one stage, the same in every stage: the service's access and the secret sync identity,
# under the names charts/src/contract.ts gives them. A stage passes only what differs (envs/<stage>/main.tf).

locals {
  kv_path = "platform-api/${var.stage}"
}

module "vault_app_access" {
  source = "../vault-app-access"

  namespace       = "platform-api"
  service_account = "platform-api"
  role_name       = "platform-api"
  policy_name     = "platform-api"
  auth_mount      = "kubernetes"
  kv_mount        = "secret"
  kv_path         = local.kv_path
  transit_mount   = "transit"
  transit_key     = "platform-api"
  create_kv_mount = var.create_kv_mount

  kubernetes_host    = var.kubernetes_host
  kubernetes_ca_cert = var.kubernetes_ca_cert
}

# Redis reads its password through the sync, and CloudNativePG the database owner's password (with backups,
# the bucket credentials too): the operator logs in from both namespaces in every stage.
module "vault_secret_sync" {
  source = "../vault-secret-sync"

  role_name       = "platform-secret-sync"
  policy_name     = "platform-secret-sync"
  service_account = "vault-secret-sync"
  namespaces      = ["redis", "postgres"]
  auth_mount      = module.vault_app_access.auth_mount
  kv_mount        = "secret"
  kv_paths        = compact([local.kv_path, var.backup_credentials_path])
}
