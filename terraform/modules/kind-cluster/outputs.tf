output "kubeconfig_context" {
  description = "kubeconfig context of the cluster, for kubectl, skaffold and the Pulumi kubernetes provider."
  value       = "kind-${kind_cluster.this.name}"
}

output "endpoint" {
  description = "API server URL of the cluster."
  value       = kind_cluster.this.endpoint
}
