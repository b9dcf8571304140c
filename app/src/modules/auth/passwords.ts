import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane). Raising these later is safe:
 * hashes made with other parameters still verify and are re-hashed at the next successful login.
 */
export const passwordHashing = {
  algorithm: 2 /* argon2id */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const passwordPolicy = { minLength: 12, maxLength: 128 } as const;

const encodedParameters = `$argon2id$v=19$m=${passwordHashing.memoryCost},t=${passwordHashing.timeCost},p=${passwordHashing.parallelism}$`;

export const hashPassword = (password: string) => hash(password, passwordHashing);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never authenticates anyone
  }
}

export const needsRehash = (passwordHash: string) => !passwordHash.startsWith(encodedParameters);

let decoy: Promise<string> | undefined;

/**
 * Verifies against a decoy hash when the account does not exist, so an unknown email costs the same time as a
 * wrong password and the two cannot be told apart.
 */
export async function burnVerification(password: string): Promise<void> {
  decoy ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await decoy, password);
}
