import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * node:http without fetch's guard rails: any Host header, raw paths (null bytes), chunked bodies, and
 * bodies written in pieces over time.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    chunks?: (string | Buffer)[];
    delayMs?: number;
  },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    const chunks = [...(options.chunks ?? [])];
    const writeNext = () => {
      const chunk = chunks.shift();
      if (chunk === undefined) return void req.end();
      req.write(chunk);
      setTimeout(writeNext, options.delayMs ?? 0);
    };
    writeNext();
  });
}
