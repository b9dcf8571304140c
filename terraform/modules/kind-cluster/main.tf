# A local Kubernetes cluster for the developer loop (`skaffold dev`): one control plane that also
# receives ingress traffic from the host, and a few workers. kindnet enforces NetworkPolicy (kind >= 0.24),
# so the chart's default-deny policies behave here as they do in shared stages.

resource "kind_cluster" "this" {
  name            = var.name
  node_image      = var.node_image
  wait_for_ready  = true
  kubeconfig_path = pathexpand(var.kubeconfig_path)

  kind_config {
    kind        = "Cluster"
    api_version = "kind.x-k8s.io/v1alpha4"

    node {
      role   = "control-plane"
      labels = { "ingress-ready" = "true" }

      extra_port_mappings {
        container_port = 30080
        host_port      = var.ingress_host_ports.http
        protocol       = "TCP"
      }

      extra_port_mappings {
        container_port = 30443
        host_port      = var.ingress_host_ports.https
        protocol       = "TCP"
      }
    }

    dynamic "node" {
      for_each = range(var.worker_count)
      content {
        role = "worker"
      }
    }
  }
}
