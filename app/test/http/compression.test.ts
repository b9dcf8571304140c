import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { bearer, createUser, json, login } from '../support/api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface BytesResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, not fetch: fetch decodes gzip and brotli on its own, hiding what went over the wire. */
function get(
  app: TestApp,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<BytesResponse> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const decode = (response: BytesResponse) => {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'gzip') return gunzipSync(response.body).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(response.body).toString('utf8');
  return response.body.toString('utf8');
};

const varies = (response: BytesResponse) =>
  String(response.headers.vary ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes('accept-encoding');

// Bodies no production route serves (already-compressed types, a conditional GET), behind the real app.
const png = randomBytes(8 * 1024); // random bytes do not compress: like a real image
const bigJson = { rows: Array.from({ length: 100 }, (_, i) => ({ i, note: 'the same words again' })) };
function extraRoutes() {
  const router = new Router({ prefix: '/test' });
  router.get('/image.png', (ctx) => {
    ctx.type = 'image/png';
    ctx.body = png;
  });
  router.get('/archive.zip', (ctx) => {
    ctx.type = 'application/zip';
    ctx.body = png;
  });
  router.get('/conditional', (ctx) => {
    ctx.set('ETag', '"v1"');
    ctx.body = bigJson;
    if (ctx.fresh) ctx.status = 304;
  });
  return router;
}
const withExtraRoutes: Parameters<typeof startTestApp>[1] = (cfg, deps) => {
  const app = createApp(cfg, deps);
  app.use(extraRoutes().routes());
  return app;
};

describe('response compression', () => {
  let app: TestApp;
  let token: string;
  const list = '/api/v1/items?limit=20';

  beforeAll(async () => {
    app = await startTestApp({}, withExtraRoutes);
    const user = await createUser(app);
    token = (await login(app, user)).access_token;
    for (let i = 0; i < 20; i++) {
      const title = `Item ${i}: a title of ordinary length`;
      const created = await app.fetch('/api/v1/items', {
        method: 'POST',
        ...json({ title, description: `What item ${i} is for, in a sentence or two.` }, bearer(token)),
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => app.close());

  it.each(['gzip', 'br'])(
    'a list of 20 goes out %s-encoded and decodes to the same JSON',
    async (encoding) => {
      const plain = await get(app, list, { headers: bearer(token) });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThanOrEqual(app.cfg.http.compression.thresholdBytes);
      const encoded = await get(app, list, { headers: { ...bearer(token), 'accept-encoding': encoding } });
      expect(encoded.status).toBe(200);
      expect(encoded.headers['content-encoding']).toBe(encoding);
      expect(varies(encoded)).toBe(true);
      expect(encoded.body.length).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(decode(encoded))).toEqual(JSON.parse(plain.body.toString('utf8')));
    },
  );

  it('brotli when the client takes both', async () => {
    const response = await get(app, list, { headers: { ...bearer(token), 'accept-encoding': 'gzip, br' } });
    expect(response.headers['content-encoding']).toBe('br');
  });

  it('a body under the threshold goes out as it is, still saying it varies', async () => {
    const response = await get(app, '/api/v1/users/me', {
      headers: { ...bearer(token), 'accept-encoding': 'gzip, br' },
    });
    expect(response.status).toBe(200);
    expect(response.body.length).toBeLessThan(app.cfg.http.compression.thresholdBytes);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(varies(response)).toBe(true);
  });

  it('a problem+json error over the threshold is compressed too', async () => {
    const path = `/api/v1/${'no-such-thing/'.repeat(100)}`;
    const response = await get(app, path, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(response))).toMatchObject({ type: '/problems/not-found', instance: path });
  });

  it.each([
    ['/test/image.png', 'image/png'],
    ['/test/archive.zip', 'application/zip'],
  ])('%s (already compressed) goes out as it is', async (path, type) => {
    const response = await get(app, path, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.equals(png)).toBe(true);
  });

  it('HEAD answers with headers only, and no encoding it did not apply', async () => {
    const response = await get(app, list, {
      method: 'HEAD',
      headers: { ...bearer(token), 'accept-encoding': 'gzip, br' },
    });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.headers['content-encoding']).toBeUndefined();
  });

  it('304 Not Modified carries no body and no encoding', async () => {
    const headers = { 'accept-encoding': 'gzip, br' };
    const first = await get(app, '/test/conditional', { headers });
    expect(first.headers['content-encoding']).toBe('br');
    const again = await get(app, '/test/conditional', { headers: { ...headers, 'if-none-match': '"v1"' } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['content-encoding']).toBeUndefined();
  });
});

describe('responses that carry tokens', () => {
  let app: TestApp;
  beforeAll(async () => {
    // A threshold far under a token pair's size: only the route's own opt-out can keep it uncompressed.
    app = await startTestApp({ COMPRESSION_THRESHOLD_BYTES: '64' });
  });
  afterAll(() => app.close());

  it('login and refresh are never compressed, though large enough and asked for', async () => {
    const user = await createUser(app);
    const asks = { 'content-type': 'application/json', 'accept-encoding': 'gzip, br' };
    const issued = await get(app, '/api/v1/auth/token', {
      method: 'POST',
      headers: asks,
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(issued.status).toBe(200);
    expect(issued.body.length).toBeGreaterThan(64);
    expect(issued.headers['content-encoding']).toBeUndefined();
    const pair = JSON.parse(issued.body.toString('utf8')) as { access_token: string; refresh_token: string };

    const rotated = await get(app, '/api/v1/auth/refresh', {
      method: 'POST',
      headers: asks,
      body: JSON.stringify({ refresh_token: pair.refresh_token }),
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.length).toBeGreaterThan(64);
    expect(rotated.headers['content-encoding']).toBeUndefined();

    // The same client, asking the same way, gets other answers of this size compressed.
    const me = await get(app, '/api/v1/users/me', {
      headers: { ...bearer(pair.access_token), 'accept-encoding': 'gzip, br' },
    });
    expect(me.status).toBe(200);
    expect(me.headers['content-encoding']).toBe('br');
  });
});

describe('COMPRESSION_ENABLED=false', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ COMPRESSION_ENABLED: 'false', COMPRESSION_THRESHOLD_BYTES: '64' });
  });
  afterAll(() => app.close());

  it('leaves every body as it is', async () => {
    const user = await createUser(app);
    const { access_token } = await login(app, user);
    const me = await get(app, '/api/v1/users/me', {
      headers: { ...bearer(access_token), 'accept-encoding': 'gzip, br' },
    });
    expect(me.status).toBe(200);
    expect(me.headers['content-encoding']).toBeUndefined();
  });
});
