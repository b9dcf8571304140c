output "kubeconfig_context" {
  description = "kubeconfig context to select before `pulumi up -s local` and `skaffold dev`."
  value       = module.kind_cluster.kubeconfig_context
}
