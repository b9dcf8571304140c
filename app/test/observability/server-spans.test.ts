import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerSpanSource } from '../../src/config/telemetry-settings.js';
import { type CallInit, fetchJson } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/test-app.js';
import { descendantsOf, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';
import { startTracedService } from './traced-service.js';

const serverKind = 2;
const remoteTraceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const remoteParentId = '1122334455667788';
const traceparent = (flags: '00' | '01') => `00-${remoteTraceId}-${remoteParentId}-${flags}`;

interface Run {
  spans: ReceivedSpan[];
  exportRequests: number;
  logLines: Record<string, unknown>[];
}

/**
 * One service per sampling decision, each driven through an authenticated read (Redis session, Postgres
 * query) and a read of readiness under an incoming traceparent; spans are counted after a clean shutdown
 * flushed them. The sample ratio is 1 or 0, so each request's fate is known.
 */
async function tracedRun(
  database: TestDatabase,
  serverSpans: ServerSpanSource,
  sampleRatio: '0' | '1',
  requests: (call: (path: string, init?: CallInit) => Promise<Response>) => Promise<void>,
): Promise<Run> {
  const receiver = await startOtlpReceiver();
  const service = await startTracedService({
    ...testEnv({ DATABASE_URL: database.url }),
    LOG_FORMAT: 'json',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    TRACES_SAMPLE_RATIO: sampleRatio,
    TRACES_DETAIL: 'requests',
    TRACES_SERVER_SPANS: serverSpans,
  });
  try {
    await requests((path, init = {}) => fetchJson(`${service.url}${path}`, init));
  } finally {
    expect(await service.stop()).toBe(0);
    await receiver.close();
  }
  return {
    spans: [...receiver.spans],
    exportRequests: receiver.requests.length,
    logLines: service.logLines(),
  };
}

/** Registers, logs in and creates an item: the calls before the read under study. */
async function callerWithItem(call: (path: string, init?: CallInit) => Promise<Response>) {
  const email = `spans.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery staple';
  expect(
    (await call('/api/v1/users', { method: 'POST', body: { email, password, fullName: 'S' } })).status,
  ).toBe(201);
  const login = await call('/api/v1/auth/token', { method: 'POST', body: { email, password } });
  const authorization = `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
  const created = await call('/api/v1/items', {
    method: 'POST',
    body: { title: 'spanned', description: null },
    headers: { authorization },
  });
  return { authorization, itemId: ((await created.json()) as { id: string }).id };
}

const completionLine = (run: Run, requestId: string) =>
  run.logLines.find((line) => line.requestId === requestId && line.msg === 'request completed');

describe.each(['middleware', 'instrumentation'] as const)('server spans made by the %s', (serverSpans) => {
  let database: TestDatabase;
  let sampled: Run;
  let unsampled: Run;
  let readId: string;
  const readRequestId = `spans-read-${crypto.randomUUID()}`;
  const remoteSampledId = `spans-remote-sampled-${crypto.randomUUID()}`;
  const remoteUnsampledId = `spans-remote-unsampled-${crypto.randomUUID()}`;
  const unsampledReadId = `spans-unsampled-read-${crypto.randomUUID()}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    sampled = await tracedRun(database, serverSpans, '1', async (call) => {
      const { authorization, itemId } = await callerWithItem(call);
      readId = itemId;
      expect(
        (await call(`/api/v1/items/${itemId}`, { headers: { authorization, 'x-request-id': readRequestId } }))
          .status,
      ).toBe(200);
      await call('/api/v1/health/ready', {
        headers: { 'x-request-id': remoteUnsampledId, traceparent: traceparent('00') },
      });
    });
    unsampled = await tracedRun(database, serverSpans, '0', async (call) => {
      const { authorization, itemId } = await callerWithItem(call);
      await call(`/api/v1/items/${itemId}`, { headers: { authorization, 'x-request-id': unsampledReadId } });
      await call('/api/v1/health/ready', {
        headers: { 'x-request-id': remoteSampledId, traceparent: traceparent('01') },
      });
    });
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it('names a sampled request span by its route template, with the HTTP conventions and Prisma below it', () => {
    const line = completionLine(sampled, readRequestId);
    const server = sampled.spans.find((span) => span.spanId === line?.span_id);
    expect(server).toMatchObject({
      name: 'GET /api/v1/items/{id}',
      kind: serverKind,
      parentSpanId: undefined,
    });
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': `/api/v1/items/${readId}`,
      'http.route': '/api/v1/items/{id}',
      'http.response.status_code': 200,
    });
    const queries = descendantsOf(server!, sampled.spans).filter(
      (span) => span.name === 'prisma:client:db_query',
    );
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((span) => span.traceId === server?.traceId)).toBe(true);
  });

  it('stamps the log lines of a sampled request with its trace and span ids', () => {
    const line = completionLine(sampled, readRequestId);
    expect(line).toMatchObject({ trace_flags: '01' });
    expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('records nothing and exports nothing when no request is sampled', () => {
    expect(unsampled.spans.filter((span) => span.traceId !== remoteTraceId)).toEqual([]);
    // The trace id still reaches the log line, marked unsampled, so the mesh's trace can be joined.
    expect(completionLine(unsampled, unsampledReadId)).toMatchObject({ trace_flags: '00' });
  });

  it('honours a sampled parent from the mesh: the server span is its child', () => {
    const span = unsampled.spans.find((candidate) => candidate.kind === serverKind);
    expect(span).toMatchObject({ traceId: remoteTraceId, parentSpanId: remoteParentId });
    expect(unsampled.spans.every((candidate) => candidate.traceId === remoteTraceId)).toBe(true);
    expect(completionLine(unsampled, remoteSampledId)).toMatchObject({
      trace_id: remoteTraceId,
      trace_flags: '01',
    });
  });

  it('does not record a request whose parent from the mesh was not sampled', () => {
    expect(sampled.spans.filter((span) => span.traceId === remoteTraceId)).toEqual([]);
    expect(completionLine(sampled, remoteUnsampledId)).toMatchObject({
      trace_id: remoteTraceId,
      trace_flags: '00',
    });
  });
});
