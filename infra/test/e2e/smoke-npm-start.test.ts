import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../../app/test/observability/otlp-receiver.js';
import { acceptedSpans } from '../../e2e/collector-metrics.js';
import { runSmoke, SmokeFailure } from '../../e2e/smoke.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const url = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return Number(new URL(url).port);
}

// The e2e workflow runs this smoke through the Istio gateway of a kind cluster; here it runs against the
// README's first command, `npm start`, with a protocol-level OTLP receiver standing in for the collector.
describe('the smoke script against npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smoke-'));
  let service: ChildProcess | undefined;
  let baseUrl = '';
  let metricsUrl = '';
  let output = '';
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let metrics: Server;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // The collector's own metrics endpoint, as the smoke reads it on a cluster (port 8888).
    metrics = createServer((_, res) => {
      res.end(
        `otelcol_receiver_accepted_spans_total{receiver="otlp",transport="http"} ${receiver.spans.length}\n`,
      );
    });
    metricsUrl = `${await listen(metrics)}/metrics`;
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    service = spawn('npm', ['start'], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        PGLITE_DIR: join(dir, 'pglite'),
        JWT_KEYS_FILE: join(dir, 'jwt-keys.json'),
        LOG_FORMAT: 'json',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        TRACES_SAMPLE_RATIO: '1',
      },
    });
    service.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    service.stderr?.on('data', (chunk) => {
      output += chunk;
    });
  }, 30_000);

  afterAll(async () => {
    if (service?.pid) process.kill(-service.pid, 'SIGKILL');
    metrics?.close();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, logs in, runs item CRUD and sees a trace arrive', async () => {
    const log: string[] = [];
    const passed = await runSmoke({
      baseUrl,
      collectorMetrics: metricsUrl,
      log: (line) => log.push(line),
      timeoutMs: 60_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- service output ---\n${output.slice(-4000)}`);
    });
    expect(passed).toEqual([
      'the service answers through its front door',
      'a new user registers',
      'the user logs in and reads their profile',
      'items: create, read, update, list, delete',
      'a trace arrives at the collector',
    ]);
    expect(receiver.spans.some((span) => span.resource['service.name'] === 'platform-api')).toBe(true);
  }, 120_000);

  it('fails when the collector never receives a span', async () => {
    const silent = createServer((_, res) => res.end('otelcol_receiver_accepted_spans_total 0\n'));
    const url = `${await listen(silent)}/metrics`;
    try {
      await expect(
        runSmoke({ baseUrl, collectorMetrics: url, log: () => {}, timeoutMs: 2_000 }),
      ).rejects.toThrow(SmokeFailure);
    } finally {
      silent.close();
    }
  }, 60_000);

  it('fails when the base URL serves something else', async () => {
    const wrong = createServer((_, res) => res.writeHead(404).end('not here'));
    const url = await listen(wrong);
    try {
      await expect(runSmoke({ baseUrl: url, log: () => {}, timeoutMs: 1_000 })).rejects.toThrow(
        /public keys: expected 200/,
      );
    } finally {
      wrong.close();
    }
  });
});

describe('the smoke behind a gateway', () => {
  it('sends the Host header the gateway routes on', async () => {
    // A stand-in gateway: routes only requests for the service's host, as the Istio Gateway does.
    const gateway = createServer((req, res) => {
      if (req.headers.host !== 'platform-api.localtest.me') return res.writeHead(404).end('no route');
      const jwks = req.url === '/.well-known/jwks.json';
      res.writeHead(jwks ? 200 : 418, { 'content-type': 'application/json' });
      res.end(jwks ? '{"keys":[{"kid":"k"}]}' : '{}');
    });
    const url = await listen(gateway);
    try {
      const attempt = runSmoke({
        baseUrl: url,
        headers: { host: 'platform-api.localtest.me' },
        log: () => {},
        timeoutMs: 1_000,
      });
      // The keys were routed (the Host arrived); registration reached the stand-in, which answers 418.
      await expect(attempt).rejects.toThrow(/register: expected 201 or 202, got 418/);
    } finally {
      gateway.close();
    }
  });
});

describe('accepted spans in the collector metrics', () => {
  it('sums the counter across receivers, with or without the _total suffix', () => {
    const text = [
      '# TYPE otelcol_receiver_accepted_spans counter',
      'otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 3',
      'otelcol_receiver_accepted_spans_total{receiver="otlp",transport="http"} 4',
      'otelcol_receiver_refused_spans{receiver="otlp"} 9',
    ].join('\n');
    expect(acceptedSpans(text)).toBe(7);
    expect(acceptedSpans('otelcol_exporter_sent_spans 5')).toBe(0);
  });
});
