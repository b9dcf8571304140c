# The identity the Vault Secrets Operator uses to copy a few platform secrets (the Redis password, the
# database backup credentials) into Kubernetes Secrets for components that can only read those.
# It reads exactly the listed KV paths and nothing else.

data "vault_policy_document" "sync" {
  dynamic "rule" {
    for_each = var.kv_paths
    content {
      path         = "${var.kv_mount}/data/${rule.value}"
      capabilities = ["read"]
      description  = "Read ${rule.value} to sync it into a Kubernetes Secret"
    }
  }
}

resource "vault_policy" "sync" {
  name   = var.policy_name
  policy = data.vault_policy_document.sync.hcl
}

resource "vault_kubernetes_auth_backend_role" "sync" {
  backend                          = var.auth_mount
  role_name                        = var.role_name
  bound_service_account_names      = [var.service_account]
  bound_service_account_namespaces = var.namespaces
  token_policies                   = [vault_policy.sync.name]
  token_ttl                        = var.token_ttl_seconds
}
