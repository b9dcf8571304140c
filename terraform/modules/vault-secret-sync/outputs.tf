output "role_name" {
  description = "Kubernetes auth role of the secret sync identity."
  value       = vault_kubernetes_auth_backend_role.sync.role_name
}
