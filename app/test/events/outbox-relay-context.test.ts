import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxRelay, startOutboxRelay } from '../../src/modules/events/outbox-relay.js';
import { createLogger } from '../../src/observability/logger.js';
import { requestContext } from '../../src/observability/request-context.js';
import { captureLogs } from '../support/log-capture.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The relay is nudged from inside the request that wrote an event; its work is not part of that request.
describe('the outbox relay nudged from inside a request', () => {
  let app: TestApp;
  let relay: OutboxRelay | undefined;
  beforeAll(async () => {
    // As the telemetry bootstrap does: the active span follows async work (without it, context.with is a no-op).
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    app = await startTestApp();
  });
  afterAll(async () => {
    await relay?.stop();
    await app.close();
    context.disable();
  });

  it("publishes outside the request's context: no request id on its lines, no request span as its parent", async () => {
    const seen: { requestId: string | undefined; span: boolean }[] = [];
    const logs = captureLogs();
    relay = startOutboxRelay(
      app.deps.uow,
      async () => {
        seen.push({
          requestId: requestContext.getStore()?.requestId,
          span: !!trace.getSpan(context.active()),
        });
        throw new Error('queue unavailable'); // so the relay also writes a line from inside its loop
      },
      { intervalMs: 60_000, batchSize: 10 },
      createLogger(app.cfg, logs.stream),
    );
    const itemId = crypto.randomUUID();
    await app.deps.uow.repos.outbox.append({
      type: 'ItemCreated',
      aggregateId: itemId,
      payload: { itemId, ownerId: crypto.randomUUID(), title: 'nudged' },
    });
    const requestSpan = trace.getTracer('test').startSpan('POST /api/v1/items');
    requestContext.run({ requestId: 'request-that-nudged' }, () =>
      context.with(trace.setSpan(ROOT_CONTEXT, requestSpan), () => relay!.nudge()),
    );
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({ requestId: undefined, span: false });
    const failed = () => logs.lines.find((line) => String(line.msg).includes('outbox relay failed'));
    await expect.poll(failed).toBeDefined();
    expect(failed()).not.toHaveProperty('requestId');
  });
});
