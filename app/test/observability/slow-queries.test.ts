import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { redactedSql, withDatabaseMetrics } from '../../src/observability/database-metrics.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { type RequestContext, requestContext } from '../../src/observability/request-context.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { captureLogs } from '../support/log-capture.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Looks like a credential so that finding it anywhere in the log would be the leak it is.
const secret = 'sk_live_51HxSlowQueryPlantedSecret';

async function slowCount(metrics: Metrics, operation: string): Promise<number> {
  const counter = await metrics.registry.getSingleMetric('db_client_slow_operations_total')?.get();
  return counter?.values.find((entry) => entry.labels.operation === operation)?.value ?? 0;
}

const slowLines = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => line.msg === 'slow database statement');

describe('slow statements', () => {
  let database: TestDatabase;
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(async () => {
    database = await createTestDatabase();
    context.setGlobalContextManager(contextManager.enable());
  });
  afterAll(async () => {
    context.disable();
    await database.drop();
  });

  function client(thresholdMs: number) {
    const metrics = createMetrics({ processMetrics: false });
    const logs = captureLogs();
    const log = createLogger(
      { log: { level: 'info', format: 'json' }, tier: 'dev', version: 'test' },
      logs.stream,
    );
    const prisma = new PrismaClient({
      adapter: withDatabaseMetrics(new PrismaPg({ connectionString: database.url, max: 2 }), metrics, {
        log,
        thresholdMs,
      }),
    });
    return { metrics, logs, prisma };
  }

  it('log one line per slow statement, with its SQL but never its parameters, inside the request that ran it', async () => {
    const { metrics, logs, prisma } = client(150);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const span = trace.wrapSpanContext({ traceId, spanId: '00f067aa0ba902b7', traceFlags: 1 });
    const request = { requestId: 'req-slow-1', route: () => '/api/v1/items/{id}' } as RequestContext;
    try {
      await requestContext.run(request, () =>
        context.with(trace.setSpan(context.active(), span), async () => {
          await prisma.$queryRaw`SELECT 1 AS fast, ${secret}::text AS planted`;
          await prisma.$queryRaw`SELECT pg_sleep(0.3)::text AS slept, ${secret}::text AS planted`;
        }),
      );
      const [line, ...more] = slowLines(logs.lines);
      expect(more).toHaveLength(0);
      expect(line).toMatchObject({
        level: 40,
        operation: 'select',
        route: '/api/v1/items/{id}',
        requestId: 'req-slow-1',
        trace_id: traceId,
      });
      expect(line?.sql).toMatch(/^SELECT pg_sleep\(0\.3\)::text AS slept, \$1::text AS planted$/);
      expect(line?.durationMs).toBeGreaterThanOrEqual(290);
      expect(logs.text()).not.toContain(secret);
      expect(await slowCount(metrics, 'select')).toBe(1);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('log nothing and count nothing for fast statements', async () => {
    const { metrics, logs, prisma } = client(150);
    try {
      for (let i = 0; i < 5; i += 1) await prisma.$queryRaw`SELECT ${i}::int AS fast`;
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`CREATE TEMP TABLE scratch (id int)`;
        await tx.$executeRaw`INSERT INTO scratch VALUES (1)`;
      });
      expect(slowLines(logs.lines)).toHaveLength(0);
      expect(await slowCount(metrics, 'select')).toBe(0);
      expect(await slowCount(metrics, 'insert')).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('time a statement from when it had a connection: waiting for one in the pool is not the statement being slow', async () => {
    const { metrics, logs, prisma } = client(150); // a pool of two connections
    try {
      // Two slow statements hold both connections; four fast ones queue behind them for about 250 ms.
      await Promise.all([
        prisma.$queryRaw`SELECT pg_sleep(0.25)::text AS slept`,
        prisma.$queryRaw`SELECT pg_sleep(0.25)::text AS slept`,
        ...Array.from({ length: 4 }, (_, i) => prisma.$queryRaw`SELECT ${i}::int AS queued`),
      ]);
      const lines = slowLines(logs.lines);
      expect(lines.map((line) => line.sql)).toEqual([
        'SELECT pg_sleep(0.25)::text AS slept',
        'SELECT pg_sleep(0.25)::text AS slept',
      ]);
      expect(await slowCount(metrics, 'select')).toBe(2);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('say how long a slow statement waited for its connection', async () => {
    const { logs, prisma } = client(150);
    try {
      await Promise.all(
        Array.from({ length: 3 }, () => prisma.$queryRaw`SELECT pg_sleep(0.2)::text AS slept`),
      );
      const waited = slowLines(logs.lines)
        .map((line) => Number(line.waitedForConnectionMs ?? 0))
        .sort((a, b) => a - b);
      // Two ran at once (waiting only for their connections to open); the third waited for one of them to end.
      expect(waited).toHaveLength(3);
      expect(waited[1]).toBeLessThan(100);
      expect(waited[2]).toBeGreaterThanOrEqual(150);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('write literals a raw statement carries in its text as ?', async () => {
    const { metrics, logs, prisma } = client(150);
    try {
      await prisma.$queryRawUnsafe(
        `SELECT pg_sleep(0.3)::text AS slept, '${secret}' AS quoted, $q$${secret}$q$ AS dollar`,
      );
      const [line] = slowLines(logs.lines);
      expect(line?.sql).toBe("SELECT pg_sleep(0.3)::text AS slept, '?' AS quoted, '?' AS dollar");
      expect(logs.text()).not.toContain(secret);
      expect(await slowCount(metrics, 'select')).toBe(1);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('redact escaped quotes, E strings and tagged dollar quotes without eating the SQL between them', () => {
    expect(redactedSql("SELECT 'it''s', E'a\\'b', $fn$ x $y$ $fn$, col FROM t WHERE a = 'z'")).toBe(
      "SELECT '?', '?', '?', col FROM t WHERE a = '?'",
    );
  });

  it('log and count nothing with the threshold at 0', async () => {
    const { metrics, logs, prisma } = client(0);
    try {
      await prisma.$queryRaw`SELECT pg_sleep(0.3)::text AS slept`;
      expect(slowLines(logs.lines)).toHaveLength(0);
      expect(await slowCount(metrics, 'select')).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('a slow statement in a real request', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ DB_SLOW_QUERY_MS: '150' });
  });
  afterAll(() => app?.close());

  it('is logged with the id of the request that waited on it, without the values it wrote', async () => {
    // The test holds the users table against writes (reads go on), so the registration's insert waits.
    const holder = new pg.Client({ connectionString: app.database?.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN SHARE MODE');
      const email = `${secret.toLowerCase()}@example.com`;
      const response = app.fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-slow-register' },
        body: JSON.stringify({ email, password: `${secret}-Password-1`, fullName: 'Slow Writer' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 600));
      await holder.query('COMMIT');
      expect((await response).status).toBe(201);
      const lines = slowLines(app.logs.lines);
      expect(lines.map((line) => line.operation)).toContain('insert');
      for (const line of lines) {
        expect(line.requestId).toBe('req-slow-register');
        expect(line.route).toBe('/api/v1/users');
        expect(line.sql).toMatch(/\$1/);
      }
      expect(JSON.stringify(lines)).not.toMatch(new RegExp(secret, 'i'));
      expect(await slowCount(app.deps.metrics, 'insert')).toBeGreaterThanOrEqual(1);
    } finally {
      await holder.end();
    }
  });
});
