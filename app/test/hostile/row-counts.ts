import pg from 'pg';

/**
 * Counts the rows of every table a request could write, straight from PostgreSQL (live items only: a DELETE marks
 * an item rather than removing it). Failed logins are audited by design, so the audit count leaves them out: any
 * other row is a write a rejected request must not make.
 */
export async function rowCounter(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    async counts(): Promise<Record<string, number>> {
      const { rows } = await client.query<Record<string, string>>(`
        SELECT (SELECT count(*) FROM users) AS users,
               (SELECT count(*) FROM items WHERE deleted_at IS NULL) AS items,
               (SELECT count(*) FROM sessions) AS sessions,
               (SELECT count(*) FROM retired_refresh_tokens) AS retired_refresh_tokens,
               (SELECT count(*) FROM api_keys) AS api_keys,
               (SELECT count(*) FROM audit_logs
                 WHERE NOT (action = 'auth.login' AND outcome = 'FAILURE')) AS audit_logs`);
      return Object.fromEntries(Object.entries(rows[0]!).map(([table, count]) => [table, Number(count)]));
    },
    /** Users whose normalised emails collide: there must never be any. */
    async duplicateEmails(): Promise<string[]> {
      const { rows } = await client.query<{ email: string }>(
        'SELECT lower(email) AS email FROM users GROUP BY lower(email) HAVING count(*) > 1',
      );
      return rows.map((row) => row.email);
    },
    close: () => client.end(),
  };
}
