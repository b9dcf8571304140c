import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Spellings of the login path a router might accept while a layer matching paths by prefix (rate limit, body
 * limit) would not. Whatever reaches the login handler must have passed the same layers as the canonical path.
 */
const variants = [
  '/API/V1/AUTH/TOKEN',
  '/Api/v1/auth/token',
  '/api/v1/Auth/token',
  '/api/v1/auth/TOKEN',
  '/api/v1/auth/token/',
  '//api/v1/auth/token',
  '/api//v1/auth/token',
  '/api/v1/%61uth/token',
  '/api/v1/auth/%74oken',
  '/api/v1/x/../auth/token',
  '/api/v1/./auth/token',
];

const reachedLoginHandler = (status: number) => status === 401 || status === 422 || status === 200;

describe('path spellings', () => {
  let app: TestApp;
  const login = (path: string, body = '{"email":"nobody@example.com","password":"not the one"}') =>
    rawRequest(app.url, {
      method: 'POST',
      path,
      headers: {
        host: '127.0.0.1',
        'content-type': 'application/json',
        'content-length': String(body.length),
      },
      chunks: [body],
    });

  beforeAll(async () => {
    app = await startTestApp({
      RATE_LIMIT_AUTH_MAX: '3',
      RATE_LIMIT_MAX: '1000',
      BODY_LIMITS_BY_PREFIX: '/api/v1/auth=1kb',
    });
  });
  afterAll(() => app.close());

  it('no spelling of the login path gets past the auth limit the canonical path has spent', async () => {
    for (let i = 0; i < 3; i += 1)
      expect(reachedLoginHandler((await login('/api/v1/auth/token')).status)).toBe(true);
    expect((await login('/api/v1/auth/token')).status).toBe(429);
    const through: string[] = [];
    for (const path of variants) {
      const { status } = await login(path);
      if (reachedLoginHandler(status)) through.push(`${path} -> ${status}`);
    }
    expect(through).toEqual([]);
  });

  it('no spelling of the login path escapes its body limit', async () => {
    const other = await startTestApp({ BODY_LIMITS_BY_PREFIX: '/api/v1/auth=1kb' });
    try {
      const big = JSON.stringify({ email: 'nobody@example.com', password: 'x'.repeat(2000) });
      const through: string[] = [];
      for (const path of ['/api/v1/auth/token', ...variants]) {
        const response = await rawRequest(other.url, {
          method: 'POST',
          path,
          headers: {
            host: '127.0.0.1',
            'content-type': 'application/json',
            'content-length': String(big.length),
          },
          chunks: [big],
        });
        if (reachedLoginHandler(response.status)) through.push(`${path} -> ${response.status}`);
      }
      expect(through).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
