import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallInit, fetchJson } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/test-app.js';
import { descendantsOf, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';
import { startTracedService } from './traced-service.js';

const serverKind = 2;
const incomingTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const incomingParentId = '00f067aa0ba902b7';

describe('a request traced from log line to span', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let database: TestDatabase;
  let spanFileDir: string;
  let logLines: Record<string, unknown>[];
  let response: Response;
  let itemId: string;
  let userId: string;
  let continued: Response;
  const requestId = `trace-test-${crypto.randomUUID()}`;
  const continuedRequestId = `trace-test-${crypto.randomUUID()}`;
  const unmatchedRequestId = `trace-test-${crypto.randomUUID()}`;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    database = await createTestDatabase();
    spanFileDir = mkdtempSync(join(tmpdir(), 'spans-'));
    const service = await startTracedService({
      ...testEnv({ DATABASE_URL: database.url }),
      LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      APP_VERSION: '1.2.3-test',
      K8S_POD_NAME: 'platform-api-7d9f-abcde',
      K8S_NAMESPACE_NAME: 'platform-api',
      TRACES_LOCAL_OUTPUT: 'file',
      TRACES_LOCAL_FILE: join(spanFileDir, 'spans.jsonl'),
    });
    const call = (path: string, init: CallInit = {}) => fetchJson(`${service.url}${path}`, init);
    try {
      const email = `traced.${crypto.randomUUID().slice(0, 8)}@example.com`;
      const password = 'correct horse battery staple';
      const registered = await call('/api/v1/users', {
        method: 'POST',
        body: { email, password, fullName: 'T' },
      });
      expect(registered.status).toBe(201);
      userId = ((await registered.json()) as { id: string }).id;
      const login = await call('/api/v1/auth/token', { method: 'POST', body: { email, password } });
      const authorization = `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
      const created = await call('/api/v1/items', {
        method: 'POST',
        body: { title: 'traced', description: null },
        headers: { authorization },
      });
      expect(created.status).toBe(201);
      itemId = ((await created.json()) as { id: string }).id;
      // The request under study: authenticated (its session is checked in Redis), reading Postgres.
      response = await call(`/api/v1/items/${itemId}`, {
        headers: { authorization, 'x-request-id': requestId },
      });
      await call(`/api/v1/nothing-here/${crypto.randomUUID()}`, {
        headers: { 'x-request-id': unmatchedRequestId },
      });
      continued = await call('/api/v1/health/ready', {
        headers: {
          'x-request-id': continuedRequestId,
          traceparent: `00-${incomingTraceId}-${incomingParentId}-01`,
        },
      });
    } finally {
      // Spans are exported in batches: only a clean shutdown guarantees the last ones leave.
      expect(await service.stop()).toBe(0);
      logLines = service.logLines();
    }
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
    if (spanFileDir) rmSync(spanFileDir, { recursive: true, force: true });
  });

  const serverSpanOf = (id: string) => {
    const line = logLines.find((entry) => entry.requestId === id && entry.msg === 'request completed');
    expect(line, `completion line for ${id}`).toBeDefined();
    const span = receiver.spans.find((candidate) => candidate.spanId === line?.span_id);
    expect(span, 'the span named in the log line was exported').toBeDefined();
    return { line: line!, span: span! };
  };

  it('exports one trace of an authenticated read: server span named by route, Prisma and Redis spans below', () => {
    expect(response.status).toBe(200);
    const { span: server } = serverSpanOf(requestId);
    expect(server).toMatchObject({
      name: 'GET /api/v1/items/{id}',
      kind: serverKind,
      parentSpanId: undefined,
    });
    expect(server.attributes['http.route']).toBe('/api/v1/items/{id}');
    const below = descendantsOf(server, receiver.spans);
    const queries = below.filter((span) => span.name === 'prisma:client:db_query');
    expect(queries.map((span) => String(span.attributes['db.query.text']))).toContainEqual(
      expect.stringMatching(/^SELECT .*FROM "public"\."items"/),
    );
    expect(below.filter((span) => span.scope.includes('ioredis')).map((span) => span.name)).toContain(
      'exists',
    );
    // SQL travels with placeholders: the item id the request asked for is not in any query.
    expect(JSON.stringify(queries)).toContain('$1');
    expect(JSON.stringify(queries)).not.toContain(itemId);
    const trace = receiver.spans.filter((span) => span.traceId === server.traceId);
    expect(trace.filter((span) => span.parentSpanId === undefined)).toEqual([server]);
    // The route's span, not one per middleware layer.
    const koaSpans = trace.filter((span) => span.scope.includes('koa'));
    expect(koaSpans.map((span) => span.attributes['koa.type'])).toEqual(['router']);
    expect(trace).toHaveLength(below.length + 1);
  });

  it('stamps the request log line with the same trace and span ids, the route and the user', () => {
    const { line, span } = serverSpanOf(requestId);
    expect(line).toMatchObject({
      trace_id: span.traceId,
      span_id: span.spanId,
      requestId,
      trace_flags: '01',
      route: '/api/v1/items/:id',
      status: 200,
      userId,
    });
  });

  it('continues an incoming traceparent while keeping the request id independent and echoed', () => {
    expect(continued.headers.get('x-request-id')).toBe(continuedRequestId);
    const { line, span } = serverSpanOf(continuedRequestId);
    expect(span.traceId).toBe(incomingTraceId);
    expect(span.parentSpanId).toBe(incomingParentId);
    expect(line.trace_id).toBe(incomingTraceId);
    expect(line.requestId).toBe(continuedRequestId);
  });

  it('names the span of a request no route matched by its method alone', () => {
    const { span } = serverSpanOf(unmatchedRequestId);
    expect(span.name).toBe('GET');
    expect(span.attributes['http.route']).toBeUndefined();
  });

  it('describes the service, its version, tier and pod on every span', () => {
    const { span } = serverSpanOf(requestId);
    expect(span.resource).toMatchObject({
      'service.name': 'platform-api',
      'service.version': '1.2.3-test',
      'deployment.environment.name': 'dev',
      'k8s.pod.name': 'platform-api-7d9f-abcde',
      'k8s.namespace.name': 'platform-api',
    });
  });

  it('sends traces only: no log or metric export is switched on by the SDK', () => {
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(new Set(receiver.requests.map((request) => `${request.method} ${request.path}`))).toEqual(
      new Set(['POST /v1/traces']),
    );
    expect(receiver.requests[0]?.contentType).toBe('application/x-protobuf');
  });

  it('keeps client addresses and Redis arguments out of span attributes', () => {
    const attributes = receiver.spans.flatMap((span: ReceivedSpan) => Object.entries(span.attributes));
    const keys = new Set(attributes.map(([key]) => key));
    for (const key of ['client.address', 'network.peer.address', 'net.peer.ip'])
      expect(keys).not.toContain(key);
    const redisStatements = receiver.spans
      .filter((span) => span.scope.includes('ioredis'))
      .map((span) => span.attributes['db.query.text'] ?? span.attributes['db.statement']);
    expect(redisStatements.length).toBeGreaterThan(0);
    for (const statement of redisStatements) expect(statement).toMatch(/^[a-z]+$/);
  });

  it('also writes the spans to a local file when asked, for reading without a collector', () => {
    const { span } = serverSpanOf(requestId);
    const lines = readFileSync(join(spanFileDir, 'spans.jsonl'), 'utf8').trim().split('\n');
    const written = lines.map(
      (line) => JSON.parse(line) as { traceId: string; spanId: string; name: string },
    );
    expect(written).toContainEqual(
      expect.objectContaining({
        traceId: span.traceId,
        spanId: span.spanId,
        name: 'GET /api/v1/items/{id}',
      }),
    );
  });
});
