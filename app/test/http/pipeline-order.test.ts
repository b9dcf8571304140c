import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The outer layers must still dress responses that inner layers (or the limiter itself) refuse.
describe('pipeline order', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_MAX: '2', BODY_LIMIT: '1kb' });
  });
  afterAll(() => app.close());

  const expectDressed = (response: Response) => {
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  };

  it('a 413 from content validation carries security headers and the request id', async () => {
    const response = await app.fetch('/api/v1/anything', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(2048) }),
    });
    await expectProblem(response.clone(), 413, 'payload-too-large');
    expectDressed(response);
  });

  it('a 429 from the rate limiter carries security headers, the request id and Retry-After', async () => {
    await app.fetch('/api/v1/anything');
    const response = await app.fetch('/api/v1/anything');
    await expectProblem(response.clone(), 429, 'rate-limited');
    expectDressed(response);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.headers.get('x-ratelimit-limit')).toBe('2');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('the rate limiter counts before content validation: a rejected oversized body still uses up the limit', async () => {
    const fresh = await startTestApp({ RATE_LIMIT_MAX: '1', BODY_LIMIT: '1kb' });
    try {
      const big = await fresh.fetch('/x', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"a":"${'x'.repeat(2000)}"}`,
      });
      expect(big.status).toBe(413);
      expect((await fresh.fetch('/x')).status).toBe(429);
    } finally {
      await fresh.close();
    }
  });

  it('a layer named in HTTP_LAYERS_DISABLED is left out', async () => {
    const bare = await startTestApp({ HTTP_LAYERS_DISABLED: 'securityHeaders,rateLimit' });
    try {
      const response = await bare.fetch('/api/v1/health/live');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBeNull();
      expect(response.headers.get('x-request-id')).not.toBeNull();
    } finally {
      await bare.close();
    }
  });
});
