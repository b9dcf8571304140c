import type { FieldCipher } from './field-cipher.js';

/** What `pg` (Pool, Client) and PGlite both offer. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** One encrypted column and the unique, ordered key that pages through its table. */
export interface EncryptedColumn {
  readonly table: string;
  readonly idColumn: string;
  readonly column: string;
}

export interface RewrapOptions extends EncryptedColumn {
  readonly cipher: FieldCipher & { refreshKeyVersion?(): Promise<number> };
  readonly batchSize: number;
  /** Resume after this id (the `lastId` a previous run reported); from the start when absent. */
  readonly after?: string;
  /** Told after each batch: a run that stops can resume from `lastId`. */
  onBatch?(progress: RewrapProgress): void;
}

export interface RewrapProgress {
  readonly scanned: number;
  readonly rewrapped: number;
  /** Rows that changed between our read and our write: left as the concurrent writer made them. */
  readonly skipped: number;
  readonly lastId: string | undefined;
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Moves every ciphertext of one column to the newest key version, a batch of rows at a time, paging by id
 * (keyset pagination, so each batch is one indexed range scan however large the table). Rows already under the
 * newest version are left alone, so a run that stopped can start again from the beginning or, faster, from the
 * last reported id. Each row is updated only if it still holds the ciphertext that was read: a concurrent write
 * always wins.
 */
export async function rewrapColumn(db: SqlClient, options: RewrapOptions): Promise<RewrapProgress> {
  const { table, idColumn, column, cipher, batchSize } = options;
  for (const name of [table, idColumn, column]) {
    if (!identifier.test(name)) throw new Error(`"${name}" is not a plain lower-case SQL identifier`);
  }
  // Transit learns the newest key version from Vault; without it nothing would look stale.
  await cipher.refreshKeyVersion?.();
  const select = (after: string | undefined) =>
    db.query(
      `SELECT "${idColumn}"::text AS id, "${column}" AS value FROM "${table}"
       ${after === undefined ? '' : `WHERE "${idColumn}" > $2`} ORDER BY "${idColumn}" LIMIT $1`,
      after === undefined ? [batchSize] : [batchSize, after],
    );
  const update = `UPDATE "${table}" SET "${column}" = $1 WHERE "${idColumn}" = $2 AND "${column}" = $3 RETURNING 1`;

  let progress: RewrapProgress = { scanned: 0, rewrapped: 0, skipped: 0, lastId: options.after };
  for (;;) {
    const { rows } = await select(progress.lastId);
    const batch = rows as { id: string; value: unknown }[];
    let { scanned, rewrapped, skipped } = progress;
    for (const row of batch) {
      scanned += 1;
      if (typeof row.value !== 'string' || !cipher.isStale(row.value)) continue;
      const next = await cipher.rewrap(row.value);
      const written = await db.query(update, [next, row.id, row.value]);
      if (written.rows.length === 1) rewrapped += 1;
      else skipped += 1;
    }
    progress = { scanned, rewrapped, skipped, lastId: batch.at(-1)?.id ?? progress.lastId };
    if (batch.length > 0) options.onBatch?.(progress);
    if (batch.length < batchSize) return progress;
  }
}
