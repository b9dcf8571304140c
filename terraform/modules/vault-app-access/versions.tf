terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    # Modules accept a range; each root pins the exact version it was tested with.
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
