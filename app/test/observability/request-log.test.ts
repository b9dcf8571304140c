import { describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-request.js';
import { startTestApp } from '../support/test-app.js';

describe('the completion line', () => {
  it('is written once for requests refused before they reach a route: 429, 413 and an untrusted host', async () => {
    const app = await startTestApp({ RATE_LIMIT_MAX: '2', BODY_LIMIT: '1kb', ALLOWED_HOSTS: '127.0.0.1' });
    try {
      const tooLarge = await app.fetch('/api/v1/items', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(4096) }),
      });
      const wrongHost = await rawRequest(app.url, {
        path: '/api/v1/items',
        headers: { host: 'evil.example.net' },
      });
      const limited = await app.fetch('/api/v1/items');
      const refused = [
        { status: tooLarge.status, requestId: tooLarge.headers.get('x-request-id') },
        { status: wrongHost.status, requestId: wrongHost.headers['x-request-id'] },
        { status: limited.status, requestId: limited.headers.get('x-request-id') },
      ];
      expect(refused.map((response) => response.status)).toEqual([413, 400, 429]);

      for (const response of refused) {
        const requestId = response.requestId;
        const lines = app.logs.lines.filter(
          (line) => line.requestId === requestId && line.msg === 'request completed',
        );
        expect(lines).toEqual([
          expect.objectContaining({
            status: response.status,
            ip: '127.0.0.1',
            durationMs: expect.any(Number),
          }),
        ]);
      }
    } finally {
      await app.close();
    }
  });
});
