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
    aws = {
      source  = "hashicorp/aws"
      version = "5.76.0"
    }
  }

  backend "s3" {
    bucket       = "platform-terraform-state"
    key          = "vault/prod.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
