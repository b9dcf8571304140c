terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    vault = {
      source  = "hashicorp/vault"
      version = "5.4.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "2.38.0"
    }
  }

  # A laptop cluster keeps its state on the laptop; every shared stage keeps it remote.
  backend "local" {
    path = "terraform.tfstate"
  }
}
