/**
 * Personal data the service holds: the one list HIPAA mode audits reads of (every response carrying one of these
 * fields) and the field cipher encrypts (`encrypted`). A column that starts holding personal data is added here.
 *
 * `users.email` stays plaintext: logins and the uniqueness check look it up by equality, which randomized
 * encryption cannot serve. Item titles and descriptions are the owner's own free text, not collected personal
 * data; a deployment that lets people store health information there adds them here (docs/hipaa.md).
 */
export const protectedFields = [
  { table: 'users', idColumn: 'id', column: 'full_name', field: 'fullName', encrypted: true },
  { table: 'users', idColumn: 'id', column: 'email', field: 'email', encrypted: false },
] as const;

export type ProtectedTable = (typeof protectedFields)[number]['table'];

/** The API field names of a table's personal columns, as responses spell them. */
export const protectedFieldNames = (table: ProtectedTable): readonly string[] =>
  protectedFields.filter((entry) => entry.table === table).map((entry) => entry.field);
