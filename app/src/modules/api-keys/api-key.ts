import type { ApiKeyScope } from './api-key-scopes.js';

/** An API key as the service shows it: never its secret, never the secret's hash. */
export interface ApiKey {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Who issued it: the owner, or an admin issuing it for them. */
  readonly createdBy: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  /** Recorded at most once a minute per key (see last-used.ts), so it may trail the newest use by that much. */
  readonly lastUsedAt: Date | null;
  readonly createdAt: Date;
}

/** What authentication needs of a key; none of it changes after issue except revocation. */
export interface StoredKey {
  readonly id: string;
  readonly userId: string;
  readonly secretHash: Buffer;
  readonly scopes: readonly ApiKeyScope[];
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

/** Why a presented key was refused: the audit record's reason. */
export type DenialReason =
  | 'wrong-secret'
  | 'revoked'
  | 'expired'
  | 'owner-inactive'
  | 'scope'
  | 'role'
  | 'session-only';
