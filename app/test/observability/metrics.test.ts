import Router from '@koa/router';
import type Koa from 'koa';
import type { PromHistogramData } from 'prom2javascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Config } from '../../src/config/index.js';
import type { Dependencies } from '../../src/dependencies.js';
import { rawRequest } from '../support/raw-request.js';
import { startRedisServer } from '../support/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startVaultFake } from '../support/vault-fake.js';
import { kubernetesLogin, kvPath, signingKeys, vaultEnv } from '../vault/vault-env.js';
import { labelSets, requestDuration, sampleValue, scrape, series } from './scrape.js';

type AppDeps = Dependencies & { isAcceptingTraffic: () => boolean };

/** The real app plus a route with a path parameter and one that holds its response until released. */
function withProbeRoutes(release: Promise<void>) {
  return (cfg: Config, deps: AppDeps): Koa => {
    const app = createApp(cfg, deps);
    const router = new Router();
    router.get('/api/v1/widgets/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    router.get('/api/v1/slow', async (ctx) => {
      await release;
      ctx.body = { done: true };
    });
    app.use(router.routes());
    return app;
  };
}

describe('GET /metrics', () => {
  let app: TestApp;
  let releaseSlow: () => void;
  beforeAll(async () => {
    const release = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    app = await startTestApp({ RATE_LIMIT_MAX: '100000' }, withProbeRoutes(release));
  });
  afterAll(() => app.close());

  it('counts requests and observes their duration by method, route template and status code', async () => {
    const labels = { method: 'GET', route: '/api/v1/widgets/{id}', status_code: '200' };
    const before = series(await scrape(app.url), requestDuration, labels)?.count ?? 0;
    for (const id of ['1', '2', '3']) expect((await app.fetch(`/api/v1/widgets/${id}`)).status).toBe(200);
    expect((await app.fetch('/api/v1/no-such-thing')).status).toBe(404);

    const after = await scrape(app.url);
    const widgets = series(after, requestDuration, labels);
    expect(widgets?.count).toBe(before + 3);
    expect(widgets?.buckets['+Inf']).toBe(widgets?.count);
    expect(widgets?.sum).toBeGreaterThan(0);
    expect(
      series(after, requestDuration, { method: 'GET', route: 'unmatched', status_code: '404' })?.count,
    ).toBe(1);
    expect(after[requestDuration]?.type).toBe('histogram');
  });

  it('keeps the label sets bounded after 1,000 requests to random ids and paths', async () => {
    const ids = Array.from({ length: 1000 }, () => crypto.randomUUID());
    for (let start = 0; start < ids.length; start += 50) {
      await Promise.all(ids.slice(start, start + 50).map((id) => app.fetch(`/api/v1/widgets/${id}`)));
    }
    await Promise.all(Array.from({ length: 50 }, () => app.fetch(`/api/v1/${crypto.randomUUID()}`)));
    const metrics = await scrape(app.url);
    const sets = labelSets(metrics, requestDuration);
    // Widgets, unmatched 404s, and the scrapes themselves, whatever the other tests added.
    expect(sets.length).toBeLessThanOrEqual(6);
    const text = JSON.stringify(metrics);
    expect(ids.some((id) => text.includes(id))).toBe(false);
    expect(
      series(metrics, requestDuration, { method: 'GET', route: '/api/v1/widgets/{id}', status_code: '200' })
        ?.count,
    ).toBeGreaterThanOrEqual(1000);
  });

  it('shows requests in flight while they are being handled', async () => {
    const inFlight = app.fetch('/api/v1/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The scrape itself is a GET in flight too.
    expect(sampleValue(await scrape(app.url), 'http_server_active_requests', { method: 'GET' })).toBe(2);
    releaseSlow();
    expect((await inFlight).status).toBe(200);
    expect(sampleValue(await scrape(app.url), 'http_server_active_requests', { method: 'GET' })).toBe(1);
  });

  it('reports process and runtime metrics', async () => {
    const metrics = await scrape(app.url);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(metrics[name], name).toBeDefined();
    }
  });

  it('is served in the Prometheus text format, not cached', async () => {
    const response = await app.fetch('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('refused requests in metrics', () => {
  it('counts a 429 under its status and in the rate-limited counter', async () => {
    const app = await startTestApp({ RATE_LIMIT_MAX: '1' });
    try {
      await app.fetch('/api/v1/anything');
      expect((await app.fetch('/api/v1/anything')).status).toBe(429);
      const metrics = await scrape(app.url);
      expect(
        series(metrics, requestDuration, { method: 'GET', route: 'unmatched', status_code: '429' })?.count,
      ).toBe(1);
      expect(sampleValue(metrics, 'http_server_rate_limited_requests_total')).toBe(1);
    } finally {
      await app.close();
    }
  });

  // Node's parser already refuses made-up methods; these are real ones the API does not speak.
  it('puts methods outside the API under one label value', async () => {
    const app = await startTestApp();
    try {
      for (const method of ['PURGE', 'PROPFIND', 'LOCK'])
        await rawRequest(app.url, { method, path: '/api/v1/x' });
      const data = ((await scrape(app.url))[requestDuration]?.data ?? []) as PromHistogramData[];
      expect(new Set(data.map((entry) => entry.labels.method))).toEqual(new Set(['_OTHER']));
      expect(data.reduce((total, entry) => total + entry.count, 0)).toBe(3);
    } finally {
      await app.close();
    }
  });
});

describe('who may read /metrics', () => {
  it('answers the scraper addressing the pod by IP, and never rate limits it', async () => {
    const app = await startTestApp({ ALLOWED_HOSTS: 'api.example.com', RATE_LIMIT_MAX: '1' });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await rawRequest(app.url, { path: '/metrics', headers: { host: '10.1.2.3:3000' } });
        expect(response.status).toBe(200);
        expect(response.body).toContain('# TYPE http_server_request_duration_seconds histogram');
      }
    } finally {
      await app.close();
    }
  });

  it('hides it from peers outside METRICS_ALLOWED_NETWORKS, whatever they forward', async () => {
    const closed = await startTestApp({
      METRICS_ALLOWED_NETWORKS: '10.0.0.0/8',
      TRUSTED_PROXIES: '127.0.0.1',
    });
    const open = await startTestApp({ METRICS_ALLOWED_NETWORKS: '10.0.0.0/8,127.0.0.1' });
    try {
      const refused = await closed.fetch('/metrics', { headers: { 'x-forwarded-for': '10.1.2.3' } });
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain('http_server_request_duration_seconds');
      expect((await open.fetch('/metrics')).status).toBe(200);
    } finally {
      await Promise.all([closed.close(), open.close()]);
    }
  });
});

describe('dependency metrics', () => {
  it('counts Redis command failures while Redis is down', async () => {
    const redis = await startRedisServer();
    let redisRunning = true;
    // Per-request sync sends the limiter's command on every request; the batched counter refuses locally
    // once the connection is down and sends nothing to count.
    const app = await startTestApp({
      REDIS_URL: redis.url,
      RATE_LIMIT_ON_STORE_FAILURE: 'open',
      RATE_LIMIT_SYNC: 'per-request',
    });
    try {
      const failures = async () =>
        sampleValue(await scrape(app.url), 'redis_client_errors_total', { kind: 'command' });
      expect(await failures()).toBe(0);
      await redis.stop();
      redisRunning = false;
      // The limiter's command fails at once; the request is served (fail-open) and the failure counted.
      expect((await app.fetch('/api/v1/anything')).status).toBe(404);
      expect(await failures()).toBeGreaterThan(0);
    } finally {
      await app.close();
      if (redisRunning) await redis.stop();
    }
  });

  it('counts failed renewals of the Vault token', async () => {
    const fake = await startVaultFake();
    const login = kubernetesLogin(fake, { ttl: 2 });
    const keys = signingKeys();
    fake.putSecret('secret', kvPath, { JWT_ACTIVE_KID: keys.JWT_ACTIVE_KID });
    const app = await startTestApp({
      ...vaultEnv(fake, login.env),
      JWT_SIGNING_KEYS: keys.JWT_SIGNING_KEYS,
      JWT_ACTIVE_KID: keys.JWT_ACTIVE_KID,
    });
    try {
      const failures = async () => sampleValue(await scrape(app.url), 'vault_token_renewal_failures_total');
      expect(await failures()).toBe(0);
      fake.revokeToken(fake.tokens.at(-1)!);
      // The token keeper renews at two thirds of the 2 s TTL; the revoked token's renewal is refused.
      await expect.poll(failures, { timeout: 5000, interval: 200 }).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
      await fake.stop();
    }
  });

  it('times database statements and counts the pool of the running service', async () => {
    const app = await startTestApp();
    try {
      expect((await app.fetch('/api/v1/health/ready')).status).toBe(200);
      const metrics = await scrape(app.url);
      expect(
        series(metrics, 'db_client_operation_duration_seconds', { operation: 'select' })?.count,
      ).toBeGreaterThan(0);
      expect(sampleValue(metrics, 'db_client_connection_count', { state: 'idle' })).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
    }
  });
});
