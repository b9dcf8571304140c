import pg from 'pg';
import type { MigrationSql, MigrationTarget } from './migration-target.js';

/**
 * A real PostgreSQL server over one dedicated connection (a URL or pg's connection fields). Give it the DIRECT
 * server: through a transaction pooler the transaction and its lock would not hold.
 */
export function pgMigrationTarget(connection: string | pg.ClientConfig): MigrationTarget {
  const client = new pg.Client(
    typeof connection === 'string' ? { connectionString: connection } : connection,
  );
  let connected: Promise<unknown> | undefined;
  const sql: MigrationSql = {
    query: async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[],
    // Without parameters pg uses the simple query protocol, which accepts several statements at once.
    exec: async (script) => {
      await client.query(script);
    },
  };

  return {
    async transaction(work) {
      connected ??= client.connect();
      await connected;
      await client.query('BEGIN');
      try {
        const result = await work(sql);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async close() {
      if (connected) await client.end();
    },
  };
}
