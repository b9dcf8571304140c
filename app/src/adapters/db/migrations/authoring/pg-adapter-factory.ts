import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

// The schema engine reads PostgreSQL catalogs, whose `"char"` (18) and `name` (19) columns adapter-pg cannot map
// to a column type. Their text form is exactly what the engine wants, so report them as text (25).
const catalogTextOids = new Set([18, 19]);

function reportCatalogTypesAsText(result: pg.QueryResult | undefined): void {
  for (const field of result?.fields ?? []) if (catalogTextOids.has(field.dataTypeID)) field.dataTypeID = 25;
}

// pg.Pool#query calls its client with a callback; a direct caller may use the promise: cover both.
class CatalogAsTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: Error | null, result: pg.QueryResult) => {
        if (!error) reportCatalogTypesAsText(result);
        callback(error, result);
      };
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    if (returned instanceof Promise)
      return returned.then((result) => {
        reportCatalogTypesAsText(result);
        return result;
      }) as never;
    return returned as never;
  }
}

/** Where to connect; `database` is one that exists, used to create and drop the temporary ones. */
export type ServerConfig = Required<Pick<pg.ClientConfig, 'host' | 'port' | 'user' | 'database'>> &
  Pick<pg.ClientConfig, 'password'>;

export function serverConfig(url: string): ServerConfig {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname),
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
  };
}

/** One short connection to the existing database, for CREATE/DROP DATABASE. */
async function withAdmin<T>(server: ServerConfig, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(server);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface SchemaEngineFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Ends every pool this factory opened: the engine does not always dispose its adapters. */
  close(): Promise<void>;
}

/**
 * A driver adapter factory for the schema engine: `server.database` is the one it inspects; each shadow database is
 * created on the same server under a fresh name and dropped on dispose.
 */
export function pgSchemaEngineFactory(server: ServerConfig): SchemaEngineFactory {
  const pools = new Set<pg.Pool>();

  async function connect(config: pg.PoolConfig, afterEnd?: () => Promise<void>): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ ...config, Client: CatalogAsTextClient });
    pools.add(pool);
    const adapter = await new PrismaPg(pool).connect();
    // adapter-pg splits scripts on every `;`, which breaks function bodies ($$ ... ; ... $$): send a script
    // whole, through the simple query protocol, which accepts several statements.
    adapter.executeScript = async (script) => {
      await pool.query(script);
    };
    adapter.dispose = async () => {
      if (pools.delete(pool)) await pool.end();
      await afterEnd?.();
    };
    return adapter;
  }

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connect(server),
    async connectToShadowDb() {
      const shadow = temporaryDatabaseName('shadow');
      await createDatabase(server, shadow);
      // Discrete fields, not a URL: a connection string would override `database`. The pool is ended before
      // the drop, or the drop would wait on its connections.
      return connect({ ...server, database: shadow }, () => dropDatabase(server, shadow));
    },
    async close() {
      await Promise.all([...pools].map((pool) => pool.end()));
      pools.clear();
    },
  };
}

/** `prisma_<purpose>_<pid>_<random>`: the pid tells whose leftover a database is, should a run be killed. */
export function temporaryDatabaseName(purpose: string): string {
  return `prisma_${purpose}_${process.pid}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

export async function createDatabase(server: ServerConfig, name: string): Promise<void> {
  await withAdmin(server, (admin) => admin.query(`CREATE DATABASE "${name}"`));
}

export async function dropDatabase(server: ServerConfig, name: string): Promise<void> {
  await withAdmin(server, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
