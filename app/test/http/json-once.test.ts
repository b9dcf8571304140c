import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, json, login } from '../support/api.js';
import { type RawResponse, rawRequest } from '../support/raw-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// JSON bodies leave as bytes serialized once (jsonOnce): what goes over the wire must be exactly what Koa
// itself would have sent, headers included, for JSON and problem+json alike, and for text outside ASCII.
describe('JSON bodies serialized once', () => {
  let once: TestApp;
  let stock: TestApp;
  const tokens = new Map<TestApp, string>();
  const itemIds = new Map<TestApp, string>();
  // Outside ASCII, so a length counted in characters instead of bytes would show.
  const title = 'Zürich – 東京 🚲';

  beforeAll(async () => {
    [once, stock] = await Promise.all([startTestApp(), startTestApp({ HTTP_LAYERS_DISABLED: 'jsonOnce' })]);
    for (const app of [once, stock]) {
      const token = (await login(app, await createUser(app))).access_token;
      tokens.set(app, token);
      const created = await app.fetch('/api/v1/items', { method: 'POST', ...json({ title }, bearer(token)) });
      itemIds.set(app, ((await created.json()) as { id: string }).id);
    }
  });
  afterAll(() => Promise.all([once?.close(), stock?.close()]));

  const send = (app: TestApp, path: string, method = 'GET'): Promise<RawResponse> =>
    rawRequest(app.url, {
      method,
      path: path.replace(':item', itemIds.get(app) ?? ''),
      headers: { ...bearer(tokens.get(app) ?? ''), 'accept-encoding': 'identity' },
    });

  const cases = [
    ['an item', '/api/v1/items/:item', 200, 'application/json; charset=utf-8'],
    ['a list', '/api/v1/items?limit=5', 200, 'application/json; charset=utf-8'],
    ['a problem', '/api/v1/items/00000000-0000-4000-8000-000000000000', 404, 'application/problem+json'],
    ['a validation problem', '/api/v1/items?limit=500', 422, 'application/problem+json'],
  ] as const;

  it.each(cases)(
    '%s: same type, a byte-exact length, and the body Koa would send',
    async (_, path, status, type) => {
      const [mine, koas] = await Promise.all([send(once, path), send(stock, path)]);
      expect(mine.status).toBe(status);
      expect(mine.headers['content-type']).toBe(type);
      expect(mine.headers['content-type']).toBe(koas.headers['content-type']);
      expect(Number(mine.headers['content-length'])).toBe(Buffer.byteLength(mine.body));
      // Same shape and the same values, up to what differs between two apps (ids, times, request ids).
      const shape = (body: string) =>
        JSON.stringify(JSON.parse(body), (_key, value) =>
          typeof value === 'string' && value !== title ? typeof value : value,
        );
      expect(shape(mine.body)).toBe(shape(koas.body));
    },
  );

  it('keeps text outside ASCII intact', async () => {
    const response = await send(once, '/api/v1/items/:item');
    expect((JSON.parse(response.body) as { title: string }).title).toBe(title);
  });

  it('HEAD answers with the length GET would send, and no body', async () => {
    const [head, get] = await Promise.all([
      send(once, '/api/v1/items/:item', 'HEAD'),
      send(once, '/api/v1/items/:item'),
    ]);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});
