import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/test-app.js';
import { descendantsOf, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';
import { startTracedService } from './traced-service.js';

// The same authenticated read, traced at the detail staging and prod use by default.
describe('TRACES_DETAIL=requests', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let database: TestDatabase;
  let itemId: string;
  let status: number;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    database = await createTestDatabase();
    const service = await startTracedService({
      ...testEnv({ DATABASE_URL: database.url }),
      LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      TRACES_DETAIL: 'requests',
    });
    const call = (path: string, body?: unknown, authorization?: string) =>
      fetchJson(`${service.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        body,
        headers: authorization ? { authorization } : {},
      });
    try {
      const email = `detail.${crypto.randomUUID().slice(0, 8)}@example.com`;
      const password = 'correct horse battery staple';
      expect((await call('/api/v1/users', { email, password, fullName: 'D' })).status).toBe(201);
      const login = await call('/api/v1/auth/token', { email, password });
      const authorization = `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
      const created = await call('/api/v1/items', { title: 'detail', description: null }, authorization);
      itemId = ((await created.json()) as { id: string }).id;
      status = (await call(`/api/v1/items/${itemId}`, undefined, authorization)).status;
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  const serverSpan = (): ReceivedSpan => {
    const span = receiver.spans.find((candidate) => candidate.name === 'GET /api/v1/items/{id}');
    expect(span, 'the read was exported under its route').toBeDefined();
    return span!;
  };

  it('keeps the server span named by route and the database queries below it', () => {
    expect(status).toBe(200);
    const below = descendantsOf(serverSpan(), receiver.spans);
    expect(below.map((span) => span.name)).toContain('prisma:client:db_query');
  });

  it('leaves out the Koa route span and the per-command Redis spans', () => {
    expect(receiver.spans.length).toBeGreaterThan(0);
    const scopes = new Set(receiver.spans.map((span) => span.scope));
    expect([...scopes].filter((scope) => scope.includes('koa') || scope.includes('ioredis'))).toEqual([]);
    expect(serverSpan().attributes['http.route']).toBe('/api/v1/items/{id}');
  });
});
