import { request } from 'node:http';
import type { PromMetrics } from 'prom2javascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createUser, login } from '../support/api.js';
import { startRedisServer } from '../support/redis-server.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { startTestApp, type TestApp, testEnv } from '../support/test-app.js';
import { labelSets, sampleValue, scrape, series } from './scrape.js';

const queue = 'domain-events';
// The API and the worker both relay the outbox: the job's attempts come from whichever published it.
const jobSettings = { OUTBOX_RELAY_INTERVAL_MS: '100', JOB_BACKOFF_MS: '100', JOB_ATTEMPTS: '3' };

/** GET from a chosen loopback source address: 127.0.0.2 is a peer outside a `127.0.0.1` allow-list. */
function getFrom(localAddress: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { localAddress }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe("the worker's /metrics", () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let app: TestApp;
  let worker: ServiceProcess;
  let owner: ReturnType<typeof as>;
  let ownerId: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startTestApp({ REDIS_URL: redis.url, ...jobSettings });
    worker = await startServiceProcess(
      testEnv({
        DATABASE_URL: app.database!.url,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: app.cfg.redisKeyPrefix,
        METRICS_ALLOWED_NETWORKS: '127.0.0.1',
        ...jobSettings,
      }),
      { entry: 'src/worker.ts', portVariable: 'WORKER_PORT' },
    );
    const user = await createUser(app);
    ownerId = user.id;
    owner = as(app, (await login(app, user)).access_token);
  }, 60_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited();
    await app?.close();
    await redis?.stop();
  });

  const jobs = (metrics: PromMetrics, outcome: string) =>
    sampleValue(metrics, 'worker_jobs_total', { queue, outcome });
  const queueJobs = (metrics: PromMetrics, state: string) =>
    sampleValue(metrics, 'worker_queue_jobs', { queue, state });

  it('counts completed, retried and dead-lettered jobs, times each attempt, and reads the queue depth', async () => {
    const before = await scrape(worker.url);
    expect(jobs(before, 'dead_lettered')).toBe(0);
    expect(labelSets(before, 'worker_jobs_total')).toEqual(
      expect.arrayContaining([`outcome=dead_lettered,queue=${queue}`, `outcome=retried,queue=${queue}`]),
    );

    const created = await owner('/api/v1/items', { method: 'POST', body: { title: 'handled' } });
    expect(created.status).toBe(201);
    // An event its handler cannot apply: the notification's user id is no uuid, so PostgreSQL refuses the
    // insert on every attempt (3): two retries, then the failed set.
    await app.deps.uow.transaction((repos) =>
      repos.outbox.append({
        type: 'ItemCreated',
        aggregateId: 'refused',
        payload: { itemId: 'refused', ownerId: 'not-a-uuid', title: 'refused' },
      }),
    );
    app.deps.eventsWritten();

    await expect
      .poll(async () => jobs(await scrape(worker.url), 'dead_lettered'), { timeout: 15_000 })
      .toBe(1);
    const metrics = await scrape(worker.url);
    expect(jobs(metrics, 'completed')).toBe(1);
    expect(jobs(metrics, 'retried')).toBe(2);
    expect(series(metrics, 'worker_job_duration_seconds', { queue })?.count).toBe(4);
    expect(queueJobs(metrics, 'failed')).toBe(1);
    expect(labelSets(metrics, 'worker_queue_jobs').sort()).toEqual(
      ['active', 'delayed', 'failed', 'waiting'].map((state) => `queue=${queue},state=${state}`),
    );
    for (const state of ['waiting', 'active', 'delayed']) expect(queueJobs(metrics, state)).toBe(0);
    // The default process metrics, as the API has them.
    expect(sampleValue(metrics, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('reports the outbox backlog and the age of its oldest event, and 0 once relayed', async () => {
    await redis.stop(); // the relay cannot publish: events stay in the outbox
    await app.deps.db.prisma.outboxEvent.create({
      data: {
        type: 'ItemCreated',
        aggregateId: 'late',
        payload: { itemId: 'late', ownerId, title: 'late' },
        createdAt: new Date(Date.now() - 90_000),
      },
    });
    const during = await scrape(worker.url);
    expect(sampleValue(during, 'outbox_pending_events')).toBe(1);
    expect(sampleValue(during, 'outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(90);
    expect(sampleValue(during, 'outbox_oldest_pending_age_seconds')).toBeLessThan(120);
    // Queue depth cannot be read without Redis: no series, rather than the last ones.
    expect(labelSets(during, 'worker_queue_jobs')).toEqual([]);

    await redis.start();
    await expect
      .poll(async () => sampleValue(await scrape(worker.url), 'outbox_pending_events'), { timeout: 15_000 })
      .toBe(0);
    const after = await scrape(worker.url);
    expect(sampleValue(after, 'outbox_oldest_pending_age_seconds')).toBe(0);
    await expect.poll(async () => jobs(await scrape(worker.url), 'completed'), { timeout: 15_000 }).toBe(2);
  });

  it('answers /metrics only to peers on METRICS_ALLOWED_NETWORKS', async () => {
    expect(await getFrom('127.0.0.1', `${worker.url}/metrics`)).toBe(200);
    expect(await getFrom('127.0.0.2', `${worker.url}/metrics`)).toBe(404);
    // The same outside peer still reaches the health endpoints: it is the allow-list that refused it.
    expect(await getFrom('127.0.0.2', `${worker.url}/api/v1/health/live`)).toBe(200);
  });
});
