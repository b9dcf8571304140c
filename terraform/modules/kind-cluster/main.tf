# A local Kubernetes cluster for the developer loop (`skaffold dev`, which reaches the service by
# port-forward): one control plane and a few workers. kindnet enforces NetworkPolicy (kind >= 0.24), so the
# chart's default-deny policies behave here as they do in shared stages.

resource "kind_cluster" "this" {
  name            = var.name
  node_image      = var.node_image
  wait_for_ready  = true
  kubeconfig_path = pathexpand(var.kubeconfig_path)

  kind_config {
    kind        = "Cluster"
    api_version = "kind.x-k8s.io/v1alpha4"

    node {
      role = "control-plane"
    }

    dynamic "node" {
      for_each = range(var.worker_count)
      content {
        role = "worker"
      }
    }
  }
}
