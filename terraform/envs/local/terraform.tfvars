vault_address   = "http://127.0.0.1:8200"
kubernetes_host = "https://kubernetes.default.svc"
