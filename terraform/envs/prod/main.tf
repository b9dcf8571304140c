# Stage "prod": configures the stage's external Vault and creates its database backup bucket. Apply before
# `pulumi up -s prod`. Everything else is modules/stage-vault and modules/backup-bucket, the same in every stage.

# The Vault token comes from the environment (VAULT_TOKEN), never from a file.
provider "vault" {
  address = "https://vault.platform.example.com:8200"
}

# The context the stack uses (kubernetes:context in infra/Pulumi.prod.yaml).
provider "kubernetes" {
  config_path    = "~/.kube/config"
  config_context = "platform-prod"
}

# Credentials from the environment (AWS_PROFILE or the usual AWS_* variables), never from a file.
provider "aws" {
  region = "eu-west-1"
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

# The bucket infra/Pulumi.prod.yaml archives to (platform:postgres.backup.destinationPath), and the IAM user
# whose key goes to Vault at backup_credentials_path above.
module "backup_bucket" {
  source = "../../modules/backup-bucket"

  stage       = "prod"
  bucket_name = "platform-db-backups-prod"
}

output "backup_bucket" {
  description = "The database backup bucket: bucket, destination_path (the stack's destinationPath), iam_user."
  value       = module.backup_bucket
}
