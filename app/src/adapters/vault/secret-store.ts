/** What changed in Vault: the keys whose value differs (names only), and every value now. */
export interface SecretsChange {
  readonly changed: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

export type SecretsListener = (change: SecretsChange) => void;

/**
 * The service's secrets as they are now. Rotatable values (JWT signing keys, the Redis password) are applied by
 * subscribing; the others (database URLs) are read once at start and need a restart to change.
 */
export interface SecretStore {
  get(key: string): string | undefined;
  /** Calls `listener` after each change; returns the unsubscribe function. */
  onSecretsChanged(listener: SecretsListener): () => void;
}

/** Secrets that never change while running: the tiers without Vault. */
export function staticSecrets(values: Readonly<Record<string, string>> = {}): SecretStore {
  return { get: (key) => values[key], onSecretsChanged: () => () => {} };
}
