terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    # Ranges here; each root pins the exact version and locks its hashes (.terraform.lock.hcl).
    vault = {
      source  = "hashicorp/vault"
      version = ">= 5.1.0, < 6.0.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.38.0, < 3.0.0"
    }
  }
}
