import type { EncryptedColumn } from './rewrap-column.js';

/**
 * Every column written through a FieldCipher: what `npm run fields:rewrap` moves to the newest key version
 * after a rotation. A repository that encrypts a new column adds it here.
 */
export const encryptedColumns: readonly EncryptedColumn[] = [
  { table: 'users', idColumn: 'id', column: 'full_name' },
];
