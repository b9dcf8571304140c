import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startEventWorker } from '../../src/worker/event-worker.js';
import { as, createUser, login } from '../support/api.js';
import { captureLogs } from '../support/log-capture.js';
import { startRedisServer } from '../support/redis-server.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { startTestApp, type TestApp, testEnv } from '../support/test-app.js';

const fast = { OUTBOX_RELAY_INTERVAL_MS: '100', JOB_BACKOFF_MS: '100' };

describe('outbox and event worker', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let app: TestApp;
  let owner: ReturnType<typeof as>;
  let ownerId: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startTestApp({ REDIS_URL: redis.url, ...fast });
    const user = await createUser(app);
    ownerId = user.id;
    owner = as(app, (await login(app, user)).access_token);
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
  });

  const notifications = (itemId: string) =>
    app.deps.db.prisma.notification.count({ where: { subjectId: itemId } });
  const createItem = async (title: string) => {
    const response = await owner('/api/v1/items', { method: 'POST', body: { title } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  it('writes the event in the same transaction as the item, and the worker notifies the owner once', async () => {
    const itemId = await createItem('with event');
    const event = await app.deps.db.prisma.outboxEvent.findFirst({ where: { aggregateId: itemId } });
    expect(event).toMatchObject({ type: 'ItemCreated', payload: { itemId, ownerId, title: 'with event' } });

    const logs = captureLogs();
    const worker = startEventWorker(app.cfg, app.deps.uow, createLogger(app.cfg, logs.stream));
    try {
      await expect.poll(() => notifications(itemId), { timeout: 10_000 }).toBe(1);
      const published = await app.deps.db.prisma.outboxEvent.findFirst({ where: { aggregateId: itemId } });
      expect(published?.publishedAt).not.toBeNull();
    } finally {
      await worker.close();
    }
  });

  it('keeps an event created while Redis is down, and delivers it once Redis is back', async () => {
    await redis.stop();
    const itemId = await createItem('during outage');
    await new Promise((resolve) => setTimeout(resolve, 500)); // several relay ticks fail meanwhile
    expect(
      (await app.deps.db.prisma.outboxEvent.findFirst({ where: { aggregateId: itemId } }))?.publishedAt,
    ).toBeNull();

    await redis.start();
    const worker = startEventWorker(app.cfg, app.deps.uow, createLogger(app.cfg, captureLogs().stream));
    try {
      await expect.poll(() => notifications(itemId), { timeout: 15_000 }).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('applies an event delivered twice only once', async () => {
    const itemId = await createItem('delivered twice');
    const event = await app.deps.db.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: itemId } });
    const { eventHandlers } = await import('../../src/modules/events/event-handlers.js');
    const stored = {
      id: event.id.toString(),
      type: 'ItemCreated' as const,
      aggregateId: itemId,
      payload: event.payload as never,
    };
    expect(await eventHandlers.ItemCreated(app.deps.uow, stored)).toBe('applied');
    expect(await eventHandlers.ItemCreated(app.deps.uow, stored)).toBe('duplicate');
    expect(await notifications(itemId)).toBe(1);
  });
});

describe('worker killed mid-job', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let app: TestApp;
  let worker: ServiceProcess | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startTestApp({ REDIS_URL: redis.url, ...fast });
  });
  afterEach(() => {
    worker?.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
  });

  const startWorker = () =>
    startServiceProcess(
      testEnv({
        DATABASE_URL: app.database!.url,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: app.cfg.redisKeyPrefix,
        WORKER_LOCK_DURATION_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        ...fast,
      }),
      { entry: 'src/worker.ts', portVariable: 'WORKER_PORT' },
    );

  it('leads to exactly one effect after a restart', async () => {
    const user = await createUser(app);
    const caller = as(app, (await login(app, user)).access_token);
    // Hold the notifications table so the worker's job blocks half-way through its transaction.
    const blocker = new pg.Client({ connectionString: app.database!.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE notifications IN EXCLUSIVE MODE');
    try {
      worker = await startWorker();
      const response = await caller('/api/v1/items', { method: 'POST', body: { title: 'interrupted' } });
      expect(response.status).toBe(201);
      const { id: itemId } = (await response.json()) as { id: string };
      // Mid-job: the worker holds the job (BullMQ state "active") but its effect cannot commit past our lock.
      const { Queue } = await import('bullmq');
      const queue = new Queue('domain-events', {
        connection: { url: redis.url },
        prefix: app.cfg.events.queuePrefix,
      });
      try {
        await expect
          .poll(async () => (await queue.getJobCounts('active')).active, { timeout: 15_000 })
          .toBe(1);
      } finally {
        await queue.close();
      }
      worker.child.kill('SIGKILL'); // mid-job: the effect's transaction never commits
      await worker.exited();
      await blocker.query('ROLLBACK');

      worker = await startWorker();
      const count = () => app.deps.db.prisma.notification.count({ where: { subjectId: itemId } });
      await expect.poll(count, { timeout: 20_000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a second delivery would land by now
      expect(await count()).toBe(1);
      expect(await app.deps.db.prisma.processedEvent.count()).toBe(1);
    } finally {
      await blocker.end();
    }
  });

  it('answers its own health endpoints', async () => {
    worker = await startWorker();
    const ready = await fetch(`${worker.url}/api/v1/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { name: string }[] };
    expect(body.checks.map((check) => check.name)).toContain('worker');
    worker.child.kill('SIGTERM');
    expect(await worker.exited()).toBe(0);
  });
});
