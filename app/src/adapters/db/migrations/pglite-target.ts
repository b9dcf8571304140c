import type { PGliteInterface } from '@electric-sql/pglite';
import type { MigrationTarget } from './migration-target.js';

/** An in-process PGlite database (the local tier). The caller owns the instance and closes it. */
export function pgliteMigrationTarget(pglite: PGliteInterface): MigrationTarget {
  return {
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          query: async <Row>(text: string, params?: unknown[]) => (await tx.query<Row>(text, params)).rows,
          exec: async (script) => {
            await tx.exec(script);
          },
        }),
      ),
    close: async () => undefined,
  };
}
