export interface RecordedResponse {
  readonly sequence: number;
  /** When the request was sent, in ms since the epoch. */
  readonly sentAt: number;
  readonly ms: number;
  /** The HTTP status, or undefined when no response came (network error or the hang bound hit). */
  readonly status: number | undefined;
  readonly contentType: string | null;
  readonly body: string;
  readonly headers: Headers | undefined;
}

/**
 * `clients` requests in flight back to back until stopped, each abandoned after `hangBoundMs`, with every
 * outcome kept whole (status, body, headers, time taken) so a test can judge each one against a policy.
 */
export function recordedLoad(
  clients: number,
  hangBoundMs: number,
  send: (n: number, signal: AbortSignal) => Promise<Response>,
) {
  let running = true;
  let n = 0;
  const responses: RecordedResponse[] = [];
  const client = async () => {
    while (running) {
      const sequence = n++;
      const sentAt = Date.now();
      try {
        const response = await send(sequence, AbortSignal.timeout(hangBoundMs));
        const body = await response.text();
        responses.push({
          sequence,
          sentAt,
          ms: Date.now() - sentAt,
          status: response.status,
          contentType: response.headers.get('content-type'),
          body,
          headers: response.headers,
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        responses.push({
          sequence,
          sentAt,
          ms: Date.now() - sentAt,
          status: undefined,
          contentType: null,
          body: cause?.code ?? (error as Error).name ?? String(error),
          headers: undefined,
        });
      }
    }
  };
  const loops = Array.from({ length: clients }, client);
  return {
    responses,
    async stop(): Promise<RecordedResponse[]> {
      running = false;
      await Promise.all(loops);
      return responses;
    },
  };
}
