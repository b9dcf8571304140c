/** The little a migration run needs from a database: one transaction, plain queries, multi-statement scripts. */
export interface MigrationSql {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a whole script (several statements, no parameters). */
  exec(script: string): Promise<void>;
}

export interface MigrationTarget {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (sql: MigrationSql) => Promise<T>): Promise<T>;
  /** Releases what the target opened itself (a borrowed connection is left open). */
  close(): Promise<void>;
}
