variable "name" {
  type        = string
  description = "Name of the kind cluster; the kubeconfig context is kind-<name>."
}

variable "node_image" {
  type        = string
  description = "kindest/node image of every node, pinned by digest so each laptop runs the same Kubernetes."
}

variable "worker_count" {
  type        = number
  description = "Worker nodes next to the control plane; two let topology spread and PodDisruptionBudgets behave as in a real cluster."
  default     = 2

  validation {
    condition     = var.worker_count >= 0 && var.worker_count <= 5
    error_message = "Between 0 and 5 workers: more rarely fits on a laptop."
  }
}

variable "kubeconfig_path" {
  type        = string
  description = "Where the cluster's kubeconfig is written."
  default     = "~/.kube/config"
}
