vault_address   = "https://vault.platform.example.com:8200"
kubernetes_host = "https://api.platform.example.com:6443"
