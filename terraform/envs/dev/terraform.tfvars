vault_address   = "https://vault.dev.platform.example.com:8200"
kubernetes_host = "https://api.dev.platform.example.com:6443"
