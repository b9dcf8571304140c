variable "cluster_name" {
  type        = string
  description = "Name of the local cluster; Pulumi's local stack and Skaffold use the kubeconfig context kind-<name>."
  default     = "platform"
}

variable "worker_count" {
  type        = number
  description = "Worker nodes; lower it to 0 on a small laptop (topology spread then schedules everything on one node)."
  default     = 2
}
