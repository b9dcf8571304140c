import { PrismaPg } from '@prisma/adapter-pg';
import { getMetricsFromIterator, type PromHistogramData } from 'prom2javascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { withDatabaseMetrics } from '../../src/observability/database-metrics.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

async function parse(metrics: ReturnType<typeof createMetrics>) {
  const lines = (await metrics.registry.metrics()).split('\n').filter((line) => !/\sNan$/i.test(line));
  return getMetricsFromIterator(lines[Symbol.iterator]());
}

describe('database metrics', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('time each statement by verb, transactions included, and count the pool at each scrape', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const prisma = new PrismaClient({
      adapter: withDatabaseMetrics(new PrismaPg({ connectionString: database.url, max: 3 }), metrics),
    });
    try {
      await prisma.$queryRaw`SELECT 1`;
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`CREATE TEMP TABLE scratch (id int)`;
        await tx.$executeRaw`INSERT INTO scratch VALUES (1)`;
      });
      const parsed = await parse(metrics);
      const operations = parsed.db_client_operation_duration_seconds?.data as PromHistogramData[];
      const count = (operation: string) =>
        operations.find((entry) => entry.labels.operation === operation)?.count ?? 0;
      expect(count('select')).toBeGreaterThanOrEqual(1);
      expect(count('insert')).toBe(1);
      expect(count('other')).toBeGreaterThanOrEqual(1); // CREATE TEMP TABLE
      expect(new Set(operations.map((entry) => entry.labels.operation)).size).toBeLessThanOrEqual(8);
      const connections = parsed.db_client_connection_count?.data as {
        labels: { state: string };
        value: number;
      }[];
      const total = connections.reduce((sum, entry) => sum + entry.value, 0);
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(3);
      expect(parsed.db_client_connection_pending_requests?.data).toEqual([{ labels: {}, value: 0 }]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('count statements that failed for want of a connection, by kind, and not the ones the database refused', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const errors = async () =>
      ((await parse(metrics)).db_client_connection_errors_total?.data ?? []) as {
        labels: { kind: string };
        value: number;
      }[];
    // A port nobody listens on: the connection is refused.
    const closed = new URL(database.url);
    closed.port = '1';
    const unreachable = new PrismaClient({
      adapter: withDatabaseMetrics(new PrismaPg({ connectionString: closed.toString() }), metrics),
    });
    const prisma = new PrismaClient({
      adapter: withDatabaseMetrics(new PrismaPg({ connectionString: database.url, max: 1 }), metrics),
    });
    try {
      await expect(unreachable.$queryRaw`SELECT 1`).rejects.toThrow();
      // The server ends the session under a statement (an admin or a failover does this).
      await expect(prisma.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`).rejects.toThrow();
      // A client's mistake is not a connection error.
      await expect(prisma.$queryRawUnsafe('SELEC 1')).rejects.toThrow();
      const counted = Object.fromEntries((await errors()).map((entry) => [entry.labels.kind, entry.value]));
      expect(counted.DatabaseNotReachable).toBe(1);
      expect((counted.postgres_57P01 ?? 0) + (counted.ConnectionClosed ?? 0)).toBe(1);
      expect(Object.values(counted).reduce((sum, value) => sum + value, 0)).toBe(2);
    } finally {
      await Promise.all([unreachable.$disconnect(), prisma.$disconnect()]);
    }
  });
});
