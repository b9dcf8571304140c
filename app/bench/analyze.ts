import pg from 'pg';

/**
 * Refreshes the planner's statistics, as autovacuum does in a cluster once a tenth of a table has changed.
 * A server with autovacuum off (as a CI machine's may be) otherwise plans every statement of the run on a
 * table it believes empty: measured here, the list of 20 after the POST scenarios then cost PostgreSQL about
 * twice the CPU per page. Says whether autovacuum is on, so the run's text can say which this was.
 */
export async function analyzeAsAutovacuumWould(databaseUrl: string): Promise<{ autovacuum: string }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('ANALYZE');
    const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
    return { autovacuum: rows[0]?.autovacuum ?? 'unknown' };
  } finally {
    await client.end();
  }
}
