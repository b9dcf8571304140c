import { z } from 'zod';
import { csv, int } from './env-types.js';

/** A base64 AES-256 key: exactly 32 bytes once decoded. */
const aes256Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be a base64-encoded 32-byte key');

/** Variables of the Vault source and of field-level encryption; spread into the one env schema. */
export const vaultEnv = {
  /** Vault is on when this is set. */
  VAULT_ADDR: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
  VAULT_AUTH_METHOD: z.enum(['token', 'kubernetes']),
  VAULT_TOKEN: z.string().min(1).optional(),
  VAULT_K8S_ROLE: z.string().min(1).optional(),
  VAULT_K8S_MOUNT: z.string().min(1).default('kubernetes'),
  VAULT_K8S_TOKEN_PATH: z.string().min(1).default('/var/run/secrets/kubernetes.io/serviceaccount/token'),
  VAULT_KV_MOUNT: z.string().min(1).default('secret'),
  VAULT_KV_PATH: z.string().min(1).optional(),
  VAULT_KV_REFRESH_MS: int(100, 86_400_000).default(60_000),
  VAULT_REQUIRED_SECRETS: csv,
  VAULT_TRANSIT_MOUNT: z.string().min(1).default('transit'),
  VAULT_TRANSIT_KEY: z.string().min(1).optional(),
  VAULT_CACERT: z.string().min(1).optional(),
  VAULT_REQUEST_TIMEOUT_MS: int(50, 60_000).default(2000),
  VAULT_BREAKER_FAILURES: int(1, 1000).default(5),
  VAULT_BREAKER_HALF_OPEN_MS: int(50, 600_000).default(10_000),
  VAULT_START_ATTEMPTS: int(1, 100),
  /** Local field encryption: base64 AES-256 keys, oldest first; the last one encrypts. */
  FIELD_ENCRYPTION_KEYS: csv.pipe(z.array(aes256Key)),
};

/** The same variables on their own, parsed before the rest (Vault supplies part of the rest). */
export const vaultEnvSchema = z.object(vaultEnv);
type VaultEnv = z.output<typeof vaultEnvSchema>;

export type VaultAuth =
  | { readonly method: 'token'; readonly token: string }
  | {
      readonly method: 'kubernetes';
      readonly role: string;
      readonly mount: string;
      readonly tokenPath: string;
    };

export interface VaultSettings {
  readonly address: string;
  readonly auth: VaultAuth;
  readonly kv: {
    readonly mount: string;
    readonly path: string;
    readonly refreshMs: number;
    /** Keys that must have a value once Vault's secrets are merged: start fails without them. */
    readonly required: readonly string[];
  };
  readonly transit: { readonly mount: string; readonly key: string } | undefined;
  readonly caCertFile: string | undefined;
  readonly requestTimeoutMs: number;
  readonly breaker: { readonly failures: number; readonly halfOpenAfterMs: number };
  /** How many times start tries to read the secrets before giving up (1 = fail fast). */
  readonly startAttempts: number;
}

export type FieldEncryptionSettings =
  | { readonly kind: 'transit'; readonly mount: string; readonly key: string }
  | { readonly kind: 'local'; readonly keys: readonly string[] };

/** Combinations that cannot work, named by the variable to fix. */
export function vaultProblems(env: VaultEnv): string[] {
  const problems: string[] = [];
  if (!env.VAULT_ADDR) {
    if (env.FIELD_ENCRYPTION_KEYS.length === 0)
      problems.push('FIELD_ENCRYPTION_KEYS: required when Vault transit is not configured (VAULT_ADDR)');
    return problems;
  }
  if (env.VAULT_AUTH_METHOD === 'token' && !env.VAULT_TOKEN)
    problems.push('VAULT_TOKEN: required when VAULT_AUTH_METHOD is token');
  if (env.VAULT_AUTH_METHOD === 'kubernetes' && !env.VAULT_K8S_ROLE)
    problems.push('VAULT_K8S_ROLE: required when VAULT_AUTH_METHOD is kubernetes');
  if (!env.VAULT_KV_PATH) problems.push('VAULT_KV_PATH: required when VAULT_ADDR is set');
  if (!env.VAULT_TRANSIT_KEY && env.FIELD_ENCRYPTION_KEYS.length === 0)
    problems.push(
      'VAULT_TRANSIT_KEY: required for field encryption (or FIELD_ENCRYPTION_KEYS for a local key)',
    );
  return problems;
}

/** The Vault slice of the config; undefined when Vault is off. Call only after `vaultProblems` found none. */
export function toVaultSettings(env: VaultEnv): VaultSettings | undefined {
  if (!env.VAULT_ADDR) return undefined;
  return {
    address: env.VAULT_ADDR,
    auth:
      env.VAULT_AUTH_METHOD === 'token'
        ? { method: 'token', token: env.VAULT_TOKEN! }
        : {
            method: 'kubernetes',
            role: env.VAULT_K8S_ROLE!,
            mount: env.VAULT_K8S_MOUNT,
            tokenPath: env.VAULT_K8S_TOKEN_PATH,
          },
    kv: {
      mount: env.VAULT_KV_MOUNT,
      path: env.VAULT_KV_PATH!,
      refreshMs: env.VAULT_KV_REFRESH_MS,
      required: env.VAULT_REQUIRED_SECRETS,
    },
    transit: env.VAULT_TRANSIT_KEY
      ? { mount: env.VAULT_TRANSIT_MOUNT, key: env.VAULT_TRANSIT_KEY }
      : undefined,
    caCertFile: env.VAULT_CACERT,
    requestTimeoutMs: env.VAULT_REQUEST_TIMEOUT_MS,
    breaker: { failures: env.VAULT_BREAKER_FAILURES, halfOpenAfterMs: env.VAULT_BREAKER_HALF_OPEN_MS },
    startAttempts: env.VAULT_START_ATTEMPTS,
  };
}

/** Vault transit when Vault has a transit key; otherwise AES-256-GCM with the local keys. */
export function toFieldEncryption(env: VaultEnv): FieldEncryptionSettings {
  return env.VAULT_ADDR && env.VAULT_TRANSIT_KEY
    ? { kind: 'transit', mount: env.VAULT_TRANSIT_MOUNT, key: env.VAULT_TRANSIT_KEY }
    : { kind: 'local', keys: env.FIELD_ENCRYPTION_KEYS };
}
