vault_address   = "https://vault.staging.platform.example.com:8200"
kubernetes_host = "https://api.staging.platform.example.com:6443"
