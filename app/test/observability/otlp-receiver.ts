import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

// protobufjs decoders generated from the OTLP .proto files, as published by OpenTelemetry (otlp-transformer
// 0.215, the last release that shipped them). The exporter under test encodes; these decode.
const require = createRequire(import.meta.url);
const { opentelemetry: otlp } = require('otlp-protobuf-decoders/build/src/generated/root.js');
const { ExportTraceServiceRequest, ExportTraceServiceResponse } = otlp.proto.collector.trace.v1;

interface AnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: number | { toNumber(): number } | null;
  doubleValue?: number | null;
  arrayValue?: { values: AnyValue[] };
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface OtlpSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  kind: number;
  attributes: KeyValue[];
  events: { name: string; attributes: KeyValue[] }[];
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans: {
    resource?: { attributes: KeyValue[] };
    scopeSpans: { scope?: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly scope: string;
  readonly attributes: Record<string, unknown>;
  readonly events: { name: string; attributes: Record<string, unknown> }[];
  readonly status: { code?: number; message?: string };
  readonly resource: Record<string, unknown>;
}

const hex = (bytes: Uint8Array | undefined) =>
  bytes && bytes.length > 0 ? Buffer.from(bytes).toString('hex') : undefined;

function decodeValue(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  // The decoders leave the unset members of the value's oneof null (on the prototype), not undefined.
  if (value.stringValue != null) return value.stringValue;
  if (value.boolValue != null) return value.boolValue;
  if (value.doubleValue != null) return value.doubleValue;
  if (value.intValue != null)
    return typeof value.intValue === 'number' ? value.intValue : value.intValue.toNumber();
  if (value.arrayValue) return value.arrayValue.values.map(decodeValue);
  return undefined;
}

const attributesOf = (list: KeyValue[] = []) =>
  Object.fromEntries(list.map((entry) => [entry.key, decodeValue(entry.value)]));

function read(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A collector's OTLP/HTTP endpoint in the test process: accepts `POST /v1/traces` in protobuf, decodes every
 * span, answers like a collector does. Every request path is kept, to prove what else the SDK sent. The bench
 * turns decoding off, so the receiver costs the load generator's process as little as possible.
 */
export async function startOtlpReceiver(options: { decode?: boolean } = {}) {
  const decode = options.decode ?? true;
  const spans: ReceivedSpan[] = [];
  let bytesReceived = 0;
  const requests: { method: string; path: string; contentType: string | undefined }[] = [];
  const server = createServer(async (request, response) => {
    const body = await read(request);
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      contentType: request.headers['content-type'],
    });
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    bytesReceived += body.length;
    const decoded: OtlpRequest = decode ? ExportTraceServiceRequest.decode(body) : { resourceSpans: [] };
    for (const resourceSpans of decoded.resourceSpans) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) {
          spans.push({
            traceId: hex(span.traceId)!,
            spanId: hex(span.spanId)!,
            parentSpanId: hex(span.parentSpanId),
            name: span.name,
            kind: span.kind,
            scope: scopeSpans.scope?.name ?? '',
            attributes: attributesOf(span.attributes),
            events: span.events.map((event) => ({
              name: event.name,
              attributes: attributesOf(event.attributes),
            })),
            status: { code: span.status?.code, message: span.status?.message },
            resource,
          });
        }
      }
    }
    response
      .writeHead(200, { 'content-type': 'application/x-protobuf' })
      .end(Buffer.from(ExportTraceServiceResponse.encode({}).finish()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    requests,
    bytesReceived: () => bytesReceived,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The spans below `root` in its trace, following parent links. */
export function descendantsOf(root: ReceivedSpan, spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const inTrace = spans.filter((span) => span.traceId === root.traceId);
  const found: ReceivedSpan[] = [];
  const frontier = [root.spanId];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const span of inTrace) {
      if (span.parentSpanId === parent) {
        found.push(span);
        frontier.push(span.spanId);
      }
    }
  }
  return found;
}
