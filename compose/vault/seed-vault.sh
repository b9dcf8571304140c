#!/bin/sh
# compose.yaml's vault-seed: what terraform/ and `npm run keys:generate` do for a cluster's Vault, against the
# dev server. The generated seed (/keys/seed.json: a fresh signing key, and passwords and URLs for the cluster)
# is written first, then dev-secrets.json replaces every value that must match this compose file's services.
set -eu

if ! vault secrets list -format=json | grep -q "\"$TRANSIT_MOUNT/\""; then
  vault secrets enable -path="$TRANSIT_MOUNT" transit
fi
# Writing an existing key's name leaves the key as it is.
vault write -f "$TRANSIT_MOUNT/keys/$TRANSIT_KEY"

vault kv put -mount="$KV_MOUNT" "$KV_PATH" @/keys/seed.json
vault kv patch -mount="$KV_MOUNT" "$KV_PATH" @/seed/dev-secrets.json
echo "vault-seed: $KV_MOUNT/$KV_PATH and $TRANSIT_MOUNT/keys/$TRANSIT_KEY ready"
