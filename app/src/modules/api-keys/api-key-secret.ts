import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A key as its holder sees it: `pk_<id>_<secret>`. The prefix makes a leaked key recognisable (secret scanners,
 * log scrubbing); the id (the row's UUID, as 32 hex digits) finds the row by primary key, so the secret is
 * compared with one row's hash in constant time instead of being looked up by hash; the secret is 256 random bits.
 */
const format = /^pk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface PresentedKey {
  readonly id: string;
  readonly secret: string;
}

const toUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** The key's parts, or undefined for anything that is not one of our keys (never an exception). */
export function parseKey(presented: string): PresentedKey | undefined {
  const match = format.exec(presented);
  return match ? { id: toUuid(match[1]!), secret: match[2]! } : undefined;
}

export function newKey(id: string): { secret: string; key: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, key: `pk_${id.replaceAll('-', '')}_${secret}` };
}

/**
 * HMAC-SHA-256 keyed with the key's id. A fast hash is right here: the secret is 256 random bits, so unlike a
 * password it cannot be guessed from its hash whatever the hash costs, and argon2's deliberate slowness would be
 * paid on every request. Keying with the id binds a hash to its row: a hash copied onto another row never verifies.
 */
export const hashSecret = (id: string, secret: string) => createHmac('sha256', id).update(secret).digest();

/** Constant time: how much of a guessed secret matched must not show in the response time. */
export const secretMatches = (id: string, secret: string, storedHash: Buffer) => {
  const presented = hashSecret(id, secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
};
