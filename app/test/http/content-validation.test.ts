import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { rawRequest } from '../support/raw-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('content validation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ BODY_LIMIT: '1kb', BODY_LIMITS_BY_PREFIX: '/api/v1/uploads=8kb' });
  });
  afterAll(() => app.close());

  const post = (path: string, body: string, type = 'application/json') =>
    app.fetch(path, { method: 'POST', headers: { 'content-type': type }, body });

  it('refuses a null byte in the URL with 400', async () => {
    const encoded = await app.fetch('/api/v1/items%00.json');
    await expectProblem(encoded, 400, 'invalid-url');
  });

  it('refuses a body type the API does not speak with 415', async () => {
    await expectProblem(await post('/api/v1/x', '<a/>', 'application/xml'), 415, 'unsupported-media-type');
    await expectProblem(await post('/api/v1/x', 'hello', 'text/plain'), 415, 'unsupported-media-type');
  });

  it('accepts JSON and form bodies (they reach routing: 404 here)', async () => {
    expect((await post('/api/v1/x', '{"a":1}')).status).toBe(404);
    expect((await post('/api/v1/x', 'a=1', 'application/x-www-form-urlencoded')).status).toBe(404);
  });

  it('refuses a declared length over the limit with 413 before reading the body', async () => {
    await expectProblem(
      await post('/api/v1/x', JSON.stringify({ a: 'x'.repeat(1100) })),
      413,
      'payload-too-large',
    );
  });

  it('refuses a chunked body that grows past the limit with 413', async () => {
    const response = await rawRequest(app.url, {
      method: 'POST',
      path: '/api/v1/x',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: ['{"a":"', 'x'.repeat(600), 'x'.repeat(600), '"}'],
    });
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });

  it('applies the longest matching path prefix limit', async () => {
    const fourKb = JSON.stringify({ a: 'x'.repeat(4000) });
    expect((await post('/api/v1/uploads/1', fourKb)).status).toBe(404);
    expect((await post('/api/v1/other', fourKb)).status).toBe(413);
  });

  it('refuses malformed JSON and JSON that is not an object or array with 400', async () => {
    await expectProblem(await post('/api/v1/x', '{"a":'), 400, 'malformed-json');
    await expectProblem(await post('/api/v1/x', '"just a string"'), 400, 'malformed-json');
  });

  it('refuses a body that is not what its Content-Encoding says with 400, not 500', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const response = await rawRequest(app.url, {
        method: 'POST',
        path: '/api/v1/auth/token',
        headers: {
          host: '127.0.0.1',
          'content-type': 'application/json',
          'content-encoding': encoding,
          'content-length': '13',
        },
        chunks: ['{"email":"a"}'],
      });
      expect(response.status, encoding).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({ type: '/problems/malformed-body', status: 400 });
    }
    expect(app.logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it('refuses an encoding it does not speak with 415', async () => {
    const response = await rawRequest(app.url, {
      method: 'POST',
      path: '/api/v1/auth/token',
      headers: {
        host: '127.0.0.1',
        'content-type': 'application/json',
        'content-encoding': 'x-unknown',
        'content-length': '2',
      },
      chunks: ['{}'],
    });
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });

  it('answers methods no route uses (TRACE, PROPFIND) with 405 and Allow, never 501', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'PURGE']) {
      const response = await rawRequest(app.url, {
        method,
        path: '/api/v1/health/live',
        headers: { host: '127.0.0.1' },
      });
      expect(response.status, method).toBe(405);
      expect(response.headers.allow, method).toContain('GET');
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
    }
    const nowhere = await rawRequest(app.url, {
      method: 'PROPFIND',
      path: '/api/v1/nowhere',
      headers: { host: '127.0.0.1' },
    });
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers['content-type']).toBe('application/problem+json');
  });
});
