import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ HSTS_ENABLED: 'true', TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('gives API responses a CSP that allows nothing', async () => {
    const csp = (await app.fetch('/api/v1/health/live')).headers.get('content-security-policy');
    expect(csp).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
  });

  it('lets the docs page load its own scripts and styles, and nothing from elsewhere', async () => {
    const csp = (await app.fetch('/docs')).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('*');
  });

  it('sends HSTS only over https', async () => {
    expect((await app.fetch('/api/v1/health/live')).headers.get('strict-transport-security')).toBeNull();
    const https = await app.fetch('/api/v1/health/live', { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('client IP', () => {
  const ipLogged = (app: TestApp) =>
    app.logs.lines.filter((line) => line.msg === 'request completed').at(-1)?.ip;

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const app = await startTestApp({ TRUSTED_PROXIES: '10.0.0.0/8' });
    try {
      await app.fetch('/api/v1/health/live', { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(ipLogged(app)).toBe('127.0.0.1');
    } finally {
      await app.close();
    }
  });

  it('takes the nearest hops allowed by PROXY_MAX_IPS from a trusted proxy', async () => {
    const app = await startTestApp({ TRUSTED_PROXIES: '127.0.0.0/8', PROXY_MAX_IPS: '1' });
    try {
      await app.fetch('/api/v1/health/live', { headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' } });
      expect(ipLogged(app)).toBe('203.0.113.9');
    } finally {
      await app.close();
    }
  });

  it('rate limits by the forwarded client, not the proxy', async () => {
    const app = await startTestApp({ TRUSTED_PROXIES: '127.0.0.1', RATE_LIMIT_MAX: '1' });
    try {
      const as = (ip: string) => app.fetch('/api/v1/x', { headers: { 'x-forwarded-for': ip } });
      expect((await as('203.0.113.1')).status).toBe(404);
      expect((await as('203.0.113.2')).status).toBe(404);
      expect((await as('203.0.113.1')).status).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('trusted host behind proxies', () => {
  const request = (app: TestApp, headers: Record<string, string>) =>
    rawRequest(app.url, { path: '/api/v1/x', headers });

  it('believes X-Forwarded-Host only from a trusted proxy', async () => {
    // The test client (127.0.0.1) is not one of the proxies.
    const app = await startTestApp({ ALLOWED_HOSTS: 'api.example.com', TRUSTED_PROXIES: '10.0.0.0/8' });
    try {
      const spoofed = await request(app, { host: 'evil.example.net', 'x-forwarded-host': 'api.example.com' });
      expect(spoofed.status).toBe(400);
      expect(JSON.parse(spoofed.body)).toMatchObject({ type: '/problems/untrusted-host' });
      expect((await request(app, { host: 'api.example.com' })).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('checks the forwarded host when the peer is a trusted proxy', async () => {
    const app = await startTestApp({ ALLOWED_HOSTS: 'api.example.com', TRUSTED_PROXIES: '127.0.0.1' });
    try {
      expect((await request(app, { host: 'pod-ip', 'x-forwarded-host': 'api.example.com' })).status).toBe(
        404,
      );
      const evil = await request(app, { host: 'api.example.com', 'x-forwarded-host': 'evil.example.net' });
      expect(evil.status).toBe(400);
    } finally {
      await app.close();
    }
  });
});

describe('trusted host, CORS and request id', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      ALLOWED_HOSTS: 'api.example.com,127.0.0.1',
      CORS_ORIGINS: 'https://app.example.com',
    });
  });
  afterAll(() => app.close());

  it('refuses a Host that is not served here with 400, but still answers probes', async () => {
    const evil = await rawRequest(app.url, { path: '/api/v1/x', headers: { host: 'evil.example.net' } });
    expect(evil.status).toBe(400);
    expect(JSON.parse(evil.body)).toMatchObject({ type: '/problems/untrusted-host' });
    const probe = await rawRequest(app.url, {
      path: '/api/v1/health/live',
      headers: { host: '10.1.2.3:3000' },
    });
    expect(probe.status).toBe(200);
    const good = await rawRequest(app.url, {
      path: '/api/v1/health/live',
      headers: { host: 'api.example.com' },
    });
    expect(good.status).toBe(200);
  });

  it('allows only the configured origins', async () => {
    const allowed = await app.fetch('/api/v1/health/live', {
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await app.fetch('/api/v1/health/live', { headers: { origin: 'https://evil.example.net' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from an allowed origin', async () => {
    const response = await app.fetch('/api/v1/items', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('keeps a sane incoming request id, replaces an unsafe one, and logs it', async () => {
    const kept = await app.fetch('/api/v1/health/live', { headers: { 'x-request-id': 'abc-123-def-456' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123-def-456');
    expect(
      app.logs.lines.some((line) => line.requestId === 'abc-123-def-456' && line.msg === 'request completed'),
    ).toBe(true);
    const replaced = await app.fetch('/api/v1/health/live', {
      headers: { 'x-request-id': 'bad id\twith "quotes"' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates a different id for each request', async () => {
    const ids = new Set<string | null>();
    for (let i = 0; i < 5; i += 1)
      ids.add((await app.fetch('/api/v1/health/live')).headers.get('x-request-id'));
    expect(ids.size).toBe(5);
  });
});

describe('request log', () => {
  it('writes one line per request with method, route template, status, duration and client IP', async () => {
    const app = await startTestApp();
    try {
      await app.fetch('/api/v1/health/live', { headers: { authorization: 'Bearer secret-token-value' } });
      const lines = app.logs.lines.filter((line) => line.msg === 'request completed');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        method: 'GET',
        route: '/api/v1/health/live',
        status: 200,
        durationMs: expect.any(Number),
        ip: '127.0.0.1',
        tier: 'dev',
        requestId: expect.any(String),
      });
      expect(app.logs.text()).not.toContain('secret-token-value');
    } finally {
      await app.close();
    }
  });

  it('redacts secrets from anything logged', async () => {
    const app = await startTestApp();
    try {
      app.deps.log.info({
        user: { email: 'a@example.com', password: 'hunter2hunter2' },
        auth: { refreshToken: 'rt-1' },
      });
      expect(app.logs.text()).not.toMatch(/hunter2|rt-1/);
      expect(app.logs.text()).toContain('a@example.com');
    } finally {
      await app.close();
    }
  });
});
