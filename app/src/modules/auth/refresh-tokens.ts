import { createHash, randomBytes } from 'node:crypto';

/** Opaque and unguessable (256 bits); only its hash is stored. */
export const newRefreshToken = () => randomBytes(32).toString('base64url');

/** SHA-256 is enough here: the input is 256 random bits, not a password. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('base64url');
