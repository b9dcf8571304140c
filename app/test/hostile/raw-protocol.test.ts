import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { exchangeRaw } from '../support/raw-socket.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { testEnv } from '../support/test-app.js';
import { expectNoLeaks } from './invariants.js';

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const host = 'Host: 127.0.0.1';
const live = '/api/v1/health/live';

// Bytes no HTTP client would send. Some never reach Koa (Node's parser refuses them); all must be answered
// as problem+json or served normally, and none may smuggle a second request or a response header through.
const malformed: Record<string, string | Buffer> = {
  'bare LF inside a header value': `GET ${live} HTTP/1.1\r\n${host}\r\nX-Request-ID: abcdefgh\nSet-Cookie: owned=1\r\n\r\n`,
  'bare CR inside a header value': `GET ${live} HTTP/1.1\r\n${host}\r\nX-Request-ID: abcdefgh\rSet-Cookie: owned=1\r\n\r\n`,
  'null byte in a header value': `GET ${live} HTTP/1.1\r\n${host}\r\nX-Test: a\u0000b\r\n\r\n`,
  'oversize header': head([`GET ${live} HTTP/1.1`, host, `Cookie: ${'a'.repeat(20_000)}`]),
  'thousands of headers': head([
    `GET ${live} HTTP/1.1`,
    host,
    ...Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`),
  ]),
  'garbage request line': 'GARBAGE\r\n\r\n',
  'HTTP/0.9 request': 'GET /\r\n\r\n',
  'invalid method characters': head([`G@T ${live} HTTP/1.1`, host]),
  'unknown HTTP version': head([`GET ${live} HTTP/9.9`, host]),
  'Content-Length with Transfer-Encoding (smuggling)': head([
    'POST /api/v1/items HTTP/1.1',
    host,
    'Content-Type: application/json',
    'Content-Length: 4',
    'Transfer-Encoding: chunked',
  ]).concat('0\r\n\r\nGET /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
  'two different Content-Lengths': head([
    'POST /api/v1/items HTTP/1.1',
    host,
    'Content-Type: application/json',
    'Content-Length: 2',
    'Content-Length: 20',
  ]).concat('{}'),
  'invalid chunk size': head([
    'POST /api/v1/auth/token HTTP/1.1',
    host,
    'Content-Type: application/json',
    'Transfer-Encoding: chunked',
  ]).concat('zz\r\n{}\r\n0\r\n\r\n'),
  'bytes above 0x7f in the path': Buffer.concat([
    Buffer.from('GET /api/v1/items/'),
    Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
    Buffer.from(` HTTP/1.1\r\n${host}\r\n\r\n`),
  ]),
  'absolute-form target on another host': head(['GET http://evil.example.com/api/v1/users HTTP/1.1', host]),
  'path traversal in the raw target': head(['GET /api/v1/../../../../etc/passwd HTTP/1.1', host]),
  'encoded traversal in the raw target': head([
    'GET /api/v1/items/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1',
    host,
  ]),
  'header just under the limit': head([
    `GET /api/v1/users/me HTTP/1.1`,
    host,
    `Authorization: Bearer ${'a'.repeat(15_000)}`,
  ]),
};

describe('malformed HTTP on the wire', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startServiceProcess(testEnv({ DATABASE_URL: database.url, RATE_LIMIT_MAX: '100000' }));
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await database?.drop();
  });

  for (const [name, bytes] of Object.entries(malformed)) {
    it(`answers ${name} without a 500, as problem+json when refused`, async () => {
      const response = await exchangeRaw(service.url, bytes);
      expect(response.status, `${name}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
      expect(response.status).not.toBe(500);
      expect(response.headers['set-cookie']).toBeUndefined();
      expectNoLeaks(response.body, [], name);
      if (response.status >= 400) {
        expect(response.headers['content-type']).toBe('application/problem+json');
        const problem = JSON.parse(response.body) as { status: number; type: string };
        expect(problem.status).toBe(response.status);
        expect(problem.type).toMatch(/^\/problems\//);
      }
      // Nothing that was smuggled behind the first request was answered.
      expect(response.body.match(/HTTP\/1\.1 \d{3}/g) ?? []).toEqual([]);
    });
  }

  it('refuses an oversize header with 431 and a problem body', async () => {
    const response = await exchangeRaw(service.url, malformed['oversize header']!);
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body)).toMatchObject({ status: 431, type: '/problems/bad-request' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is still serving afterwards, with no unexpected error logged', async () => {
    expect((await fetch(`${service.url}${live}`)).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
    expect(service.output()).not.toContain('unexpected error');
  });
});
