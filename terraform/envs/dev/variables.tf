variable "vault_address" {
  type        = string
  description = "URL of the stage's Vault; must match the platform stack's vault address."
}

variable "kubernetes_host" {
  type        = string
  description = "API server URL of the stage's cluster, which Vault calls to review service account tokens."
}

variable "kubernetes_ca_cert" {
  type        = string
  description = "PEM CA certificate of the stage's API server (TF_VAR_kubernetes_ca_cert). Null when Vault runs in that cluster."
  default     = null
}
