# The token comes from the environment (VAULT_TOKEN), never from a file: locally the dev server's token,
# in CI a short-lived token obtained through Vault's JWT auth with the workflow's OIDC identity.
provider "vault" {
  address = var.vault_address
}
