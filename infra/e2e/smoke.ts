/**
 * Black-box smoke of a running service: what a first user does, through whatever sits in front of it (the
 * Istio gateway on a cluster, nothing for `npm start`). Exits non-zero on the first step that fails.
 *
 *   npx tsx infra/e2e/smoke.ts --base-url http://localhost:8080 [--collector-metrics http://localhost:8888/metrics]
 *
 * With --collector-metrics it also waits until the OpenTelemetry Collector reports accepted spans, so a trace
 * from these requests is known to have left the service and arrived.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { acceptedSpans } from './collector-metrics.js';

export interface SmokeOptions {
  baseUrl: string;
  collectorMetrics?: string;
  /** Extra headers on every request, e.g. a Host the gateway routes on. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export class SmokeFailure extends Error {}

interface Reply {
  status: number;
  type: string;
  body: unknown;
}

function expectStatus(step: string, reply: Reply, ...accepted: number[]) {
  if (!accepted.includes(reply.status)) {
    throw new SmokeFailure(
      `${step}: expected ${accepted.join(' or ')}, got ${reply.status} ${JSON.stringify(reply.body)}`,
    );
  }
}

/**
 * One HTTP exchange with node:http rather than fetch: fetch drops a Host header (a forbidden header name in
 * the Fetch standard), and the gateway routes on Host.
 */
function send(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method, headers, timeout: 10_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const type = response.headers['content-type'] ?? '';
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            type,
            body: type.includes('json') && text ? JSON.parse(text) : text,
          });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url.pathname}: no answer in 10 s`)));
    request.on('error', reject);
    request.end(body);
  });
}

export async function runSmoke(options: SmokeOptions): Promise<string[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const passed: string[] = [];
  let token: string | undefined;

  async function call(method: string, path: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    return send(
      new URL(path, options.baseUrl),
      method,
      headers,
      body === undefined ? undefined : JSON.stringify(body),
    );
  }

  async function step(name: string, run: () => Promise<void>) {
    await run();
    passed.push(name);
    log(`ok  ${name}`);
  }

  // Readiness is internal (the gateway answers 404 for /api/v1/health/*): a first deploy is up when the
  // public signing keys are served, which needs the service, its secrets and its route.
  await step('the service answers through its front door', async () => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await call('GET', '/.well-known/jwks.json').catch((error: Error) => ({
        status: 0,
        type: '',
        body: error.message,
      }));
      if (reply.status === 200 && (reply.body as { keys?: unknown[] }).keys?.length) return;
      if (Date.now() > deadline) expectStatus('public keys', reply, 200);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  });

  const email = `smoke-${randomUUID()}@example.com`;
  const password = `Smoke-${randomBytes(12).toString('base64url')}`;
  await step('a new user registers', async () => {
    expectStatus(
      'register',
      await call('POST', '/api/v1/users', { email, password, fullName: 'Smoke Test' }),
      201,
      202,
    );
  });

  await step('the user logs in and reads their profile', async () => {
    const login = await call('POST', '/api/v1/auth/token', { email, password });
    expectStatus('login', login, 200);
    token = (login.body as { access_token: string }).access_token;
    const me = await call('GET', '/api/v1/users/me');
    expectStatus('profile', me, 200);
    if ((me.body as { email?: string }).email !== email) throw new SmokeFailure(`profile: not ${email}`);
  });

  await step('items: create, read, update, list, delete', async () => {
    const created = await call('POST', '/api/v1/items', { title: 'smoke item', description: 'first deploy' });
    expectStatus('create item', created, 201);
    const id = (created.body as { id: string }).id;
    expectStatus('read item', await call('GET', `/api/v1/items/${id}`), 200);
    const patched = await call('PATCH', `/api/v1/items/${id}`, { title: 'smoke item, renamed' });
    expectStatus('update item', patched, 200);
    if ((patched.body as { title?: string }).title !== 'smoke item, renamed') {
      throw new SmokeFailure('update item: the title did not change');
    }
    const list = await call('GET', '/api/v1/items?limit=100');
    expectStatus('list items', list, 200);
    if (!(list.body as { items: { id: string }[] }).items.some((item) => item.id === id)) {
      throw new SmokeFailure('list items: the new item is missing');
    }
    expectStatus('delete item', await call('DELETE', `/api/v1/items/${id}`), 204);
    const gone = await call('GET', `/api/v1/items/${id}`);
    expectStatus('read deleted item', gone, 404);
    if (!gone.type.startsWith('application/problem+json')) {
      throw new SmokeFailure(`read deleted item: expected a problem+json body, got ${gone.type}`);
    }
  });

  const metricsUrl = options.collectorMetrics;
  if (metricsUrl) {
    await step('a trace arrives at the collector', async () => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const spans = await fetch(metricsUrl)
          .then(async (res) => acceptedSpans(await res.text()))
          .catch(() => 0);
        if (spans > 0) return;
        if (Date.now() > deadline) throw new SmokeFailure(`no accepted spans at ${metricsUrl}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    });
  }
  return passed;
}

async function main() {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      'collector-metrics': { type: 'string' },
      host: { type: 'string' },
    },
  });
  const baseUrl = values['base-url'];
  if (!baseUrl) {
    console.error('usage: smoke.ts --base-url <url> [--collector-metrics <url>] [--host <Host header>]');
    process.exit(2);
  }
  try {
    const passed = await runSmoke({
      baseUrl,
      collectorMetrics: values['collector-metrics'],
      headers: values.host ? { host: values.host } : undefined,
    });
    console.log(`smoke: ${passed.length} steps passed against ${baseUrl}`);
  } catch (error) {
    console.error(`smoke FAILED: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
