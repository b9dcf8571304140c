variable "stage" {
  type        = string
  description = "Stage name (local, dev, staging, prod); the service's secrets live at platform-api/<stage>."

  validation {
    condition     = contains(["local", "dev", "staging", "prod"], var.stage)
    error_message = "One of local, dev, staging, prod."
  }
}

variable "create_kv_mount" {
  type        = bool
  description = "Create the KV v2 mount. False for a dev-mode Vault, which mounts secret/ itself."
}

variable "kubernetes_host" {
  type        = string
  description = "API server URL of the stage's cluster, as Vault reaches it to review service account tokens."
}

variable "kubernetes_ca_cert" {
  type        = string
  description = "PEM CA certificate of that API server. Null: the cluster's own kube-root-ca.crt."
  default     = null
}

variable "backup_credentials_path" {
  type        = string
  description = "KV path of the database backup bucket credentials (the stack's postgres.backup.credentialsVaultPath); null without backups."
  default     = null
}
