import { protectedFields } from './protected-fields.js';
import type { EncryptedColumn } from './rewrap-column.js';

/**
 * Every column written through a FieldCipher: what `npm run fields:rewrap` moves to the newest key version
 * after a rotation. Marked `encrypted` in the list of personal fields (protected-fields.ts).
 */
export const encryptedColumns: readonly EncryptedColumn[] = protectedFields
  .filter((entry) => entry.encrypted)
  .map(({ table, idColumn, column }) => ({ table, idColumn, column }));
