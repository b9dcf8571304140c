# What the service needs from Vault, and nothing more: its KV path to read, its transit key to use,
# and a Kubernetes auth role that only its own service account in its own namespace can log in with.
# Secret values are written by operators (`vault kv put`), never here: they would land in the state.

locals {
  kv_mount      = var.create_kv_mount ? vault_mount.kv[0].path : var.kv_mount
  transit_mount = var.create_transit_mount ? vault_mount.transit[0].path : var.transit_mount
}

resource "vault_mount" "kv" {
  count       = var.create_kv_mount ? 1 : 0
  path        = var.kv_mount
  type        = "kv"
  options     = { version = "2" }
  description = "Secrets of the platform's services (KV version 2)"
}

resource "vault_mount" "transit" {
  count       = var.create_transit_mount ? 1 : 0
  path        = var.transit_mount
  type        = "transit"
  description = "Encryption as a service for field-level encryption"
}

resource "vault_transit_secret_backend_key" "service" {
  backend            = local.transit_mount
  name               = var.transit_key
  type               = "aes256-gcm96"
  auto_rotate_period = var.transit_key_rotation_seconds
  # The key never leaves Vault and cannot be deleted by an apply: data encrypted with it would be lost.
  deletion_allowed       = false
  exportable             = false
  allow_plaintext_backup = false
}

resource "vault_auth_backend" "kubernetes" {
  type        = "kubernetes"
  path        = var.auth_mount
  description = "Service account logins from the stage's cluster"
}

# Vault checks each login JWT with the cluster's TokenReview API. The auth plugin (hashicorp/
# vault-plugin-auth-kubernetes v0.24.1, token_review.go) sends the configured token_reviewer_jwt as the bearer,
# and without one the login JWT itself; a Vault outside the cluster has no local service account token to fall
# back on (backend.go, loadConfig). A bearer not allowed to create TokenReviews makes every login 403. So the
# cluster gets one reviewer identity bound to system:auth-delegator, and Vault gets its token. The workloads'
# own service accounts stay without that right. The token lands in the state and in Vault's storage, both
# encrypted; rotate it by tainting the Secret.
resource "kubernetes_service_account_v1" "token_reviewer" {
  metadata {
    name      = var.token_reviewer.name
    namespace = var.token_reviewer.namespace
  }
  automount_service_account_token = false
}

resource "kubernetes_cluster_role_binding_v1" "token_reviewer" {
  metadata {
    name = "${var.token_reviewer.name}-auth-delegator"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "system:auth-delegator"
  }
  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.token_reviewer.metadata[0].name
    namespace = kubernetes_service_account_v1.token_reviewer.metadata[0].namespace
  }
}

resource "kubernetes_secret_v1" "token_reviewer" {
  metadata {
    name      = var.token_reviewer.name
    namespace = var.token_reviewer.namespace
    annotations = {
      "kubernetes.io/service-account.name" = kubernetes_service_account_v1.token_reviewer.metadata[0].name
    }
  }
  type                           = "kubernetes.io/service-account-token"
  wait_for_service_account_token = true
}

# The cluster's CA, as every namespace carries it (kube-root-ca.crt), unless given.
data "kubernetes_config_map_v1" "cluster_ca" {
  metadata {
    name      = "kube-root-ca.crt"
    namespace = var.token_reviewer.namespace
  }
}

resource "vault_kubernetes_auth_backend_config" "cluster" {
  backend            = vault_auth_backend.kubernetes.path
  kubernetes_host    = var.kubernetes_host
  kubernetes_ca_cert = coalesce(var.kubernetes_ca_cert, data.kubernetes_config_map_v1.cluster_ca.data["ca.crt"])
  token_reviewer_jwt = kubernetes_secret_v1.token_reviewer.data.token
}

data "vault_policy_document" "service" {
  rule {
    path         = "${local.kv_mount}/data/${var.kv_path}"
    capabilities = ["read"]
    description  = "Read the service's own secrets"
  }

  rule {
    path         = "${local.transit_mount}/encrypt/${var.transit_key}"
    capabilities = ["update"]
    description  = "Encrypt fields with the service's key"
  }

  rule {
    path         = "${local.transit_mount}/decrypt/${var.transit_key}"
    capabilities = ["update"]
    description  = "Decrypt fields with the service's key"
  }
}

resource "vault_policy" "service" {
  name   = var.policy_name
  policy = data.vault_policy_document.service.hcl
}

resource "vault_kubernetes_auth_backend_role" "service" {
  backend                          = vault_auth_backend.kubernetes.path
  role_name                        = var.role_name
  bound_service_account_names      = [var.service_account]
  bound_service_account_namespaces = [var.namespace]
  token_policies                   = [vault_policy.service.name]
  token_ttl                        = var.token_ttl_seconds
  token_max_ttl                    = var.token_max_ttl_seconds
}
