# Stage "local": configures the dev-mode Vault that `pulumi up -s local` installs in the kind cluster.
# Reach it first with `kubectl -n vault port-forward svc/vault 8200:8200`; its dev server mounts secret/ itself.
# Everything else is modules/stage-vault, the same for every stage.

# The Vault token comes from the environment (VAULT_TOKEN), never from a file.
provider "vault" {
  address = "http://127.0.0.1:8200"
}

# The context the stack uses (kubernetes:context in infra/Pulumi.local.yaml).
provider "kubernetes" {
  config_path    = "~/.kube/config"
  config_context = "kind-platform"
}

module "stage" {
  source = "../../modules/stage-vault"

  stage           = "local"
  create_kv_mount = false
  kubernetes_host = "https://kubernetes.default.svc"
}

output "vault" {
  description = "Roles and paths to write the secrets to: service_role, service_secret_path, secret_sync_role."
  value       = module.stage
}
