import autocannon from 'autocannon';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** Responses outside 2xx. */
  readonly non2xx: number;
  readonly requests: number;
  /** Bytes received per response, status line and headers included (autocannon counts what the socket reads). */
  readonly bytesPerResponse: number;
  /** CPU time of the server's process per request, in µs (set by the runner, which knows the process). */
  readonly cpuMicrosPerRequest?: number;
}

export interface Target {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /**
   * One entry per connection (cycled when there are more connections): its own path and headers, e.g. its own
   * caller's token and item, so no cache or request coalescing in the service can fold the callers into one.
   */
  readonly perConnection?: readonly ConnectionRequest[];
}

export interface ConnectionRequest {
  /** Path and query, replacing the target URL's. */
  readonly path?: string;
  /** Added to the target's headers. */
  readonly headers?: Record<string, string>;
  /** Replaces the target's body. */
  readonly body?: string;
}

/**
 * A scenario answered mostly outside 2xx measured its refusal path (an expired token's 401, a limiter's 429),
 * not itself: the run stops there rather than print it. A few refusals under load are shown in the errors column.
 */
function refuseRefusals(scenario: string, result: autocannon.Result) {
  const total = result.requests.total;
  if (total === 0 || result.non2xx <= total * 0.01) return;
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${count} × ${status}`)
    .join(', ');
  throw new Error(`${scenario}: ${result.non2xx} of ${total} responses outside 2xx (${statuses})`);
}

/** Drives one target with autocannon for `seconds` over `connections` keep-alive connections. */
export async function drive(target: Target, connections: number, seconds: number): Promise<LoadResult> {
  const method = target.method ?? 'GET';
  const sendsBody = target.body !== undefined || !!target.perConnection?.some((mine) => mine.body);
  const headers = sendsBody ? { 'content-type': 'application/json', ...target.headers } : target.headers;
  const own = target.perConnection;
  let opened = 0;
  const result = await autocannon({
    url: target.url,
    method,
    headers,
    body: target.body,
    connections,
    duration: seconds,
    // autocannon calls this once per connection, as it opens it.
    ...(own && own.length > 0
      ? {
          setupClient: (client: autocannon.Client) => {
            const mine = own[opened % own.length]!;
            const body = mine.body ?? target.body;
            opened += 1;
            client.setRequests([
              {
                method,
                path: mine.path ?? new URL(target.url).pathname,
                headers: { ...headers, ...mine.headers },
                ...(body === undefined ? {} : { body }),
              },
            ]);
          },
        }
      : {}),
  });
  refuseRefusals(`${method} ${target.url}`, result);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    requests: result.requests.total,
    bytesPerResponse:
      result.requests.total > 0 ? result.throughput.total / result.requests.total : Number.NaN,
  };
}

/**
 * Several targets driven at once (connections split evenly), as one client population spread over instances:
 * throughput adds up; latency percentiles are the worst instance's.
 */
export async function driveAll(targets: readonly Target[], connections: number, seconds: number) {
  const each = Math.max(1, Math.floor(connections / targets.length));
  const results = await Promise.all(targets.map((target) => drive(target, each, seconds)));
  return {
    requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0),
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    bytesPerResponse:
      results.reduce((sum, r) => sum + r.bytesPerResponse * r.requests, 0) /
      results.reduce((sum, r) => sum + r.requests, 0),
  } satisfies LoadResult;
}
