import {
  Agent,
  type ClientRequest,
  createServer,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

interface Upstream {
  readonly url: string;
  readonly port: number;
  readonly agent: Agent;
  /** Taking traffic: its readiness answered 200 at the last probe and it has not refused a connection since. */
  ready: boolean;
}

const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const hopByHop = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
];

export interface ProxyStats {
  /** Requests sent again to another upstream after a connection failed before any response byte. */
  retries: number;
  /** Requests answered 502/503 by the proxy itself: no upstream could take them. */
  failures: number;
}

/**
 * A small HTTP load balancer in front of service instances, behaving like the ones in front of pods: round
 * robin over the upstreams whose readiness probe (every `probeMs`) last answered 200, keep-alive connections
 * to each, and a retry on a fresh connection to another upstream only when a connection failed before any
 * response byte arrived, and only for idempotent requests (or when the connection was refused, so nothing was
 * sent). Bodies are buffered so a retried request can be sent again.
 */
export async function startRoundRobinProxy(options: { readinessPath: string; probeMs?: number }) {
  const upstreams: Upstream[] = [];
  const stats: ProxyStats = { retries: 0, failures: 0 };
  const served = new Map<string, number>();
  let next = 0;

  const pick = (exclude: Upstream | undefined) => {
    const candidates = upstreams.filter((upstream) => upstream.ready && upstream !== exclude);
    if (candidates.length === 0) return undefined;
    next = (next + 1) % candidates.length;
    return candidates[next];
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    attempt: number,
    previous?: Upstream,
  ) => {
    const upstream = pick(previous) ?? pick(undefined);
    if (!upstream) {
      stats.failures += 1;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no ready upstream');
      return;
    }
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers,
      'content-length': String(body.length),
    };
    for (const name of hopByHop) delete headers[name];
    let answered = false;
    const outgoing: ClientRequest = request({
      host: '127.0.0.1',
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
      // A retry never reuses a pooled connection: the pool is what just failed.
      agent: attempt === 0 ? upstream.agent : false,
    });
    outgoing.on('response', (incoming) => {
      answered = true;
      served.set(upstream.url, (served.get(upstream.url) ?? 0) + 1);
      const responseHeaders: Record<string, string | string[] | undefined> = { ...incoming.headers };
      for (const name of hopByHop) delete responseHeaders[name];
      res.writeHead(incoming.statusCode ?? 502, responseHeaders);
      incoming.pipe(res);
      incoming.on('error', () => res.destroy());
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return void res.destroy();
      const refused = error.code === 'ECONNREFUSED';
      if (refused) upstream.ready = false;
      if ((refused || idempotent.has(req.method ?? '')) && attempt < 3) {
        stats.retries += 1;
        forward(req, body, res, attempt + 1, upstream);
        return;
      }
      stats.failures += 1;
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`upstream failed: ${error.code ?? error.message}`);
    });
    outgoing.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, Buffer.concat(chunks), res, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const probe = (upstream: Upstream) =>
    new Promise<void>((resolve) => {
      const check = request(
        { host: '127.0.0.1', port: upstream.port, path: options.readinessPath, agent: false, timeout: 1000 },
        (response) => {
          upstream.ready = response.statusCode === 200;
          response.resume();
          resolve();
        },
      );
      check.on('timeout', () => check.destroy());
      check.on('error', () => {
        upstream.ready = false;
        resolve();
      });
      check.end();
    });
  const prober = setInterval(() => {
    for (const upstream of upstreams) void probe(upstream);
  }, options.probeMs ?? 100);

  return {
    url,
    stats,
    /** Registers an upstream; it takes traffic once its readiness probe answers 200. */
    async add(upstreamUrl: string) {
      const upstream: Upstream = {
        url: upstreamUrl,
        port: Number(new URL(upstreamUrl).port),
        agent: new Agent({ keepAlive: true }),
        ready: false,
      };
      upstreams.push(upstream);
      await probe(upstream);
    },
    /** Stops sending it new requests, as an endpoints controller does for a terminating pod. */
    remove(upstreamUrl: string) {
      const index = upstreams.findIndex((upstream) => upstream.url === upstreamUrl);
      // Requests already sent keep their connections and finish; idle ones close as the upstream drains.
      if (index >= 0) upstreams.splice(index, 1);
    },
    /** Responses each upstream gave, by URL, including upstreams removed since. */
    served: (upstreamUrl: string) => served.get(upstreamUrl) ?? 0,
    isReady: (upstreamUrl: string) =>
      upstreams.find((upstream) => upstream.url === upstreamUrl)?.ready ?? false,
    async stop() {
      clearInterval(prober);
      for (const upstream of upstreams) upstream.agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
