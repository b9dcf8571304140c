// `npm run fields:rewrap -w app [-- --table users --column full_name --after <id> --batch-size 200]`
// (image: `node dist/cli/rewrap-fields.js`). Run after a key rotation: Vault transit (`vault write -f
// transit/keys/<key>/rotate`) or a new local key appended to FIELD_ENCRYPTION_KEYS. Safe to stop and run again.
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createFieldCipher } from '../adapters/crypto/create-field-cipher.js';
import { encryptedColumns } from '../adapters/crypto/encrypted-columns.js';
import { rewrapColumn, type SqlClient } from '../adapters/crypto/rewrap-column.js';
import { loadStartupConfig } from '../adapters/vault/startup-config.js';
import { type Config, SecretsUnavailable, withDotEnv } from '../config/index.js';
import { createLogger } from '../observability/logger.js';

const { values: args } = parseArgs({
  options: {
    table: { type: 'string' },
    column: { type: 'string' },
    after: { type: 'string' },
    'batch-size': { type: 'string', default: '200' },
  },
});

async function openSql(database: Config['database']): Promise<SqlClient & { close(): Promise<void> }> {
  if (database.kind === 'pglite') {
    // The embedded database allows one process at a time: stop the local service first.
    const pglite = await PGlite.create(database.dir);
    return { query: (text, values) => pglite.query(text, values), close: () => pglite.close() };
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  return { query: (text, values) => pool.query(text, values), close: () => pool.end() };
}

async function main(): Promise<number> {
  const { cfg, vault } = await loadStartupConfig(withDotEnv(process.env, '.env'));
  const log = createLogger(cfg);
  const columns = encryptedColumns.filter(
    (entry) => (!args.table || entry.table === args.table) && (!args.column || entry.column === args.column),
  );
  if (columns.length === 0) {
    console.error('fields:rewrap: no encrypted column matches (see adapters/crypto/encrypted-columns.ts)');
    return 1;
  }
  const batchSize = Number(args['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    console.error('fields:rewrap: --batch-size must be a positive integer');
    return 1;
  }
  if (args.after && columns.length > 1) {
    console.error('fields:rewrap: --after resumes one column: name it with --table and --column');
    return 1;
  }
  await vault?.start(log); // keeps the token alive through a long run
  const sql = await openSql(cfg.database);
  try {
    const cipher = createFieldCipher(cfg.fieldEncryption, vault?.client);
    for (const column of columns) {
      const name = `${column.table}.${column.column}`;
      const done = await rewrapColumn(sql, {
        ...column,
        cipher,
        batchSize,
        after: args.after,
        onBatch: (progress) =>
          console.log(
            `${name}: ${progress.scanned} scanned, ${progress.rewrapped} rewrapped, ${progress.skipped} skipped; ` +
              `resume with --table ${column.table} --column ${column.column} --after ${progress.lastId}`,
          ),
      });
      console.log(`${name}: done (${done.rewrapped} rewrapped of ${done.scanned})`);
    }
    return 0;
  } finally {
    vault?.close();
    await sql.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`fields:rewrap failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof SecretsUnavailable ? error.exitCode : 1);
  },
);
