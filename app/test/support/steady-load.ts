export interface LoadOutcome {
  readonly ok: number;
  /** One line per request that did not get a 2xx: its status and body, or the network error. */
  readonly failures: string[];
  /** Every status seen, with how often. */
  readonly statuses: Record<string, number>;
}

/**
 * Keeps `workers` requests in flight back to back until stopped, like a steady stream of clients, and records
 * what each got. `send` receives a running number so callers can vary requests.
 */
export function steadyLoad(workers: number, send: (n: number) => Promise<Response>) {
  let running = true;
  let n = 0;
  const failures: string[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  const worker = async () => {
    while (running) {
      const sequence = n++;
      try {
        const response = await send(sequence);
        const body = await response.text();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.ok) ok += 1;
        else failures.push(`#${sequence} ${response.status} ${body.slice(0, 200)}`);
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        statuses.network = (statuses.network ?? 0) + 1;
        failures.push(`#${sequence} ${cause?.code ?? cause?.message ?? String(error)}`);
      }
    }
  };
  const loops = Array.from({ length: workers }, worker);
  return {
    /** Requests answered so far. */
    count: () => n,
    async stop(): Promise<LoadOutcome> {
      running = false;
      await Promise.all(loops);
      return { ok, failures, statuses };
    },
  };
}
