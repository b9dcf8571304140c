output "service_role" {
  description = "Kubernetes auth role the service logs in with."
  value       = module.vault_app_access.role_name
}

output "service_secret_path" {
  description = "API path of the service's secrets; write them with `vault kv put` before the first deploy."
  value       = module.vault_app_access.kv_secret_path
}

output "secret_sync_role" {
  description = "Kubernetes auth role of the Vault Secrets Operator's sync identity."
  value       = module.vault_secret_sync.role_name
}
