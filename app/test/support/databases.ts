import pg from 'pg';
import { applyMigrations, pgMigrationTarget } from '../../src/adapters/db/migrations/index.js';

/** The PostgreSQL server tests run against (trust auth by default); each test creates its own database on it. */
export const testServerUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Direct URL of a database no other test uses. */
  url: string;
  /** Drops it, closing any connection still open. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply prisma/migrations (default true); false leaves the database empty. */
  migrate?: boolean;
}

/** A fresh, uniquely named database on the test server, migrated unless asked otherwise. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `test_${process.pid}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await asSuperuser(`CREATE DATABASE "${name}"`);
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  const database = {
    url: url.toString(),
    drop: () => asSuperuser(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
  if (options.migrate ?? true) {
    await migrate(database.url).catch(async (error: unknown) => {
      await database.drop();
      throw error;
    });
  }
  return database;
}

async function migrate(url: string): Promise<void> {
  const target = pgMigrationTarget(url);
  try {
    await applyMigrations(target);
  } finally {
    await target.close();
  }
}

/** One statement as the test server's superuser (roles, databases: what no test user may do). */
export async function asSuperuser(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServerUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
