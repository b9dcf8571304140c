terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    # A range here; each root pins the exact version and locks its hashes (.terraform.lock.hcl). The 5.76.0
    # hashes in envs/staging and envs/prod come from a public lock file terraform init wrote for that version:
    # ministryofjustice/opg-data-lpa commit 008b837, terraform/environment/.terraform.lock.hcl.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70.0, < 6.0.0"
    }
  }
}
