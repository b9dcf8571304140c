variable "role_name" {
  type        = string
  description = "Kubernetes auth role of the Vault Secrets Operator's sync identity (the platform's vault.syncRole)."
}

variable "policy_name" {
  type        = string
  description = "Name of the Vault policy granted to the sync role."
}

variable "service_account" {
  type        = string
  description = "Service account the operator logs in as, in each namespace that receives a synced Secret."
}

variable "namespaces" {
  type        = list(string)
  description = "Namespaces whose sync service account may log in (platform components that need a Kubernetes Secret)."
}

variable "auth_mount" {
  type        = string
  description = "Path of the Kubernetes auth backend the role belongs to."
}

variable "kv_mount" {
  type        = string
  description = "Path of the KV version 2 secrets engine."
}

variable "kv_paths" {
  type        = list(string)
  description = "KV paths (inside the mount) the operator may read; nothing else is readable."

  validation {
    condition     = alltrue([for path in var.kv_paths : !strcontains(path, "*") && !strcontains(path, "+")])
    error_message = "Name each path exactly: globs would grant paths nobody reviewed."
  }
}

variable "token_ttl_seconds" {
  type        = number
  description = "Lifetime of the operator's Vault token for this role."
  default     = 3600
}
