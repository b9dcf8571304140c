variable "namespace" {
  type        = string
  description = "Kubernetes namespace the service runs in; the auth role accepts tokens from this namespace only."
}

variable "service_account" {
  type        = string
  description = "Kubernetes service account of the service; the auth role accepts tokens of this account only."
}

variable "role_name" {
  type        = string
  description = "Name of the Kubernetes auth role the service logs in with (the service's VAULT_K8S_ROLE)."
}

variable "policy_name" {
  type        = string
  description = "Name of the Vault policy granted to the role."
}

variable "auth_mount" {
  type        = string
  description = "Path of the Kubernetes auth backend (the service's VAULT_K8S_MOUNT)."
}

variable "kv_mount" {
  type        = string
  description = "Path of the KV version 2 secrets engine (the service's VAULT_KV_MOUNT)."
}

variable "kv_path" {
  type        = string
  description = "Path of the service's secrets inside the KV mount (the service's VAULT_KV_PATH)."
}

variable "transit_mount" {
  type        = string
  description = "Path of the transit secrets engine used for field-level encryption."
}

variable "transit_key" {
  type        = string
  description = "Name of the transit key that encrypts the service's sensitive fields (the service's VAULT_TRANSIT_KEY)."
}

variable "create_kv_mount" {
  type        = bool
  description = "Create the KV v2 mount. False where it already exists, such as a dev-mode Vault, which mounts secret/ itself."
  default     = true
}

variable "create_transit_mount" {
  type        = bool
  description = "Create the transit mount. False where another team already manages it on a shared Vault."
  default     = true
}

variable "kubernetes_host" {
  type        = string
  description = "URL of the cluster's API server, which Vault calls to review service account tokens."
}

variable "kubernetes_ca_cert" {
  type        = string
  description = "PEM CA certificate of the cluster's API server. Null: the cluster's own kube-root-ca.crt."
  default     = null
}

variable "token_reviewer" {
  type        = object({ name = string, namespace = string })
  description = "Service account whose token Vault uses to review login JWTs; bound to system:auth-delegator here."
  default     = { name = "vault-token-reviewer", namespace = "kube-system" }
}

variable "token_ttl_seconds" {
  type        = number
  description = "Lifetime of a Vault token issued to the service; the service renews it before expiry."
  default     = 3600

  validation {
    condition     = var.token_ttl_seconds >= 300
    error_message = "Tokens shorter than five minutes churn logins for no security gain."
  }
}

variable "token_max_ttl_seconds" {
  type        = number
  description = "Upper bound of a renewed token's lifetime; after it the service logs in again."
  default     = 86400
}

variable "transit_key_rotation_seconds" {
  type        = number
  description = "How often Vault rotates the transit key automatically; old versions still decrypt."
  default     = 2592000
}
