import { connect } from 'node:net';

export interface RawExchange {
  /** 0 when the server closed the connection without answering. */
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Writes bytes to the server exactly as given (no HTTP client in between to refuse or repair them) and reads the
 * first response until the server closes the connection or `timeoutMs` passes.
 */
export function exchangeRaw(url: string, request: string | Buffer, timeoutMs = 3000): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks).toString('latin1')));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = parse(Buffer.concat(chunks).toString('latin1'));
      const length = Number(parsed.headers['content-length']);
      if (parsed.status && Number.isFinite(length) && Buffer.byteLength(parsed.body, 'latin1') >= length)
        finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(request);
  });
}

function parse(raw: string): RawExchange {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: raw };
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: raw.slice(end + 4) };
}
