/** The one call the verification needs from a PostgreSQL client; a `pg` Client or Pool fits it as it is. */
export interface SqlConnection {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}
