import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface EnvelopeItem {
  readonly headers: Record<string, unknown>;
  readonly payload: Buffer;
}

export interface ReceivedEnvelope {
  readonly headers: Record<string, unknown>;
  readonly items: EnvelopeItem[];
  /** The whole body as sent (after gzip), for searching it for secrets. */
  readonly raw: string;
}

export type SentryEvent = Record<string, unknown> & {
  event_id: string;
  level?: string;
  transaction?: string;
  tags?: Record<string, unknown>;
  contexts?: { trace?: { trace_id?: string; span_id?: string } } & Record<string, unknown>;
  exception?: {
    values?: { type?: string; value?: string; mechanism?: { type?: string; handled?: boolean } }[];
  };
};

const newline = 0x0a;

/**
 * An envelope as Sentry's envelope format defines it (develop.sentry.dev, "Envelopes"): one line of JSON headers,
 * then items, each a line of JSON item headers and a payload. A payload whose item headers carry `length` is
 * exactly that many bytes; without it, the payload runs to the next newline or the end.
 */
export function parseEnvelope(body: Buffer): ReceivedEnvelope {
  let offset = 0;
  const line = (): Buffer => {
    const end = body.indexOf(newline, offset);
    const slice = body.subarray(offset, end === -1 ? body.length : end);
    offset = end === -1 ? body.length : end + 1;
    return slice;
  };
  const headers = JSON.parse(line().toString('utf8')) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const headerLine = line();
    if (headerLine.length === 0) continue; // a trailing newline
    const itemHeaders = JSON.parse(headerLine.toString('utf8')) as Record<string, unknown>;
    let payload: Buffer;
    if (typeof itemHeaders.length === 'number') {
      payload = body.subarray(offset, offset + itemHeaders.length);
      offset += itemHeaders.length;
      if (body[offset] === newline) offset += 1;
    } else {
      payload = line();
    }
    items.push({ headers: itemHeaders, payload });
  }
  return { headers, items, raw: body.toString('utf8') };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A Sentry ingest endpoint on a free loopback port: `POST /api/<project>/envelope/`, authenticated by the DSN's
 * public key (`sentry_key` in the query, as the SDK sends it), gzip bodies inflated. `hang` accepts requests and
 * never answers, as an unreachable Sentry behind a proxy would; `answerAfterMs` answers late, so a test can tell
 * whether the sender waited for the answer.
 */
export async function startSentryReceiver(options: { hang?: boolean; answerAfterMs?: number } = {}) {
  const publicKey = 'public0key0for0tests';
  const projectId = '4242';
  const envelopes: ReceivedEnvelope[] = [];
  const refused: string[] = [];
  /** When each envelope was answered (Date.now()). */
  const answeredAt: number[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://receiver');
    const auth = String(request.headers['x-sentry-auth'] ?? '');
    const key = url.searchParams.get('sentry_key') ?? /sentry_key=([^,\s]+)/.exec(auth)?.[1];
    if (request.method !== 'POST' || url.pathname !== `/api/${projectId}/envelope/` || key !== publicKey) {
      refused.push(`${request.method} ${url.pathname}`);
      response.writeHead(404).end();
      return;
    }
    const body = await readBody(request);
    if (options.hang) return;
    const inflated = request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
    const envelope = parseEnvelope(inflated);
    envelopes.push(envelope);
    if (options.answerAfterMs) await new Promise((resolve) => setTimeout(resolve, options.answerAfterMs));
    answeredAt.push(Date.now());
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: envelope.headers.event_id }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  /** Every event item received, parsed. */
  const events = (): SentryEvent[] =>
    envelopes.flatMap((envelope) =>
      envelope.items
        .filter((item) => item.headers.type === 'event')
        .map((item) => JSON.parse(item.payload.toString('utf8')) as SentryEvent),
    );

  return {
    dsn: `http://${publicKey}@127.0.0.1:${port}/${projectId}`,
    envelopes,
    refused,
    answeredAt,
    events,
    /** Everything received, as text. */
    text: () => envelopes.map((envelope) => envelope.raw).join('\n'),
    async waitForEvents(count: number, timeoutMs = 10_000): Promise<SentryEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (events().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return events();
    },
    close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type SentryReceiver = Awaited<ReturnType<typeof startSentryReceiver>>;
