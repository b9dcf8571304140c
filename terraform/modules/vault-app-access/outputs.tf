output "auth_mount" {
  description = "Path of the Kubernetes auth backend (VAULT_K8S_MOUNT)."
  value       = vault_auth_backend.kubernetes.path
}

output "role_name" {
  description = "Kubernetes auth role of the service (VAULT_K8S_ROLE)."
  value       = vault_kubernetes_auth_backend_role.service.role_name
}

output "policy_name" {
  description = "Vault policy attached to the role."
  value       = vault_policy.service.name
}

output "kv_secret_path" {
  description = "Full API path of the service's secrets, for `vault kv put` and for reviewing the policy."
  value       = "${local.kv_mount}/data/${var.kv_path}"
}

output "transit_key" {
  description = "Name of the transit key (VAULT_TRANSIT_KEY)."
  value       = vault_transit_secret_backend_key.service.name
}
