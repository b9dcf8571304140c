# Step one of the local stage: the cluster itself. Then `pulumi up -s local` installs the platform
# (Vault in dev mode included), then `terraform -chdir=terraform/envs/local apply` configures that Vault.

provider "kind" {}

module "kind_cluster" {
  source = "../modules/kind-cluster"

  name         = var.cluster_name
  node_image   = "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f"
  worker_count = var.worker_count
}
