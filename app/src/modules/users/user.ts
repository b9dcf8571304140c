export type Role = 'USER' | 'ADMIN';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly fullName: string;
  readonly role: Role;
  readonly active: boolean;
  readonly verified: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface UserWithPassword extends User {
  readonly passwordHash: string;
}

/**
 * One spelling per mailbox: Unicode-normalised (so look-alike compositions collapse), trimmed, lower-cased.
 * Applied on every write and every look-up.
 */
export const normaliseEmail = (email: string) => email.normalize('NFKC').trim().toLowerCase();
