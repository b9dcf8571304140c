# Stage "prod": configures the stage's external Vault. Apply before `pulumi up -s prod`.
# Everything else is modules/stage-vault, the same for every stage.

# The Vault token comes from the environment (VAULT_TOKEN), never from a file.
provider "vault" {
  address = "https://vault.platform.example.com:8200"
}

# The context the stack uses (kubernetes:context in infra/Pulumi.prod.yaml).
provider "kubernetes" {
  config_path    = "~/.kube/config"
  config_context = "platform-prod"
}

module "stage" {
  source = "../../modules/stage-vault"

  stage                   = "prod"
  create_kv_mount         = true
  kubernetes_host         = "https://api.platform.example.com:6443"
  backup_credentials_path = "platform-db/prod/backup"
}

output "vault" {
  description = "Roles and paths to write the secrets to: service_role, service_secret_path, secret_sync_role."
  value       = module.stage
}
