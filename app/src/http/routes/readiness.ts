/** One dependency readiness depends on. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<unknown>;
}

export interface CheckResult {
  readonly name: string;
  readonly status: 'up' | 'down';
  readonly latencyMs: number;
  readonly error?: string;
}

/** Runs every check at once, each bounded by the timeout: a hung dependency cannot hang the probe. */
export async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return { name, status: 'up' as const, latencyMs: latency() };
      } catch (error) {
        return { name, status: 'down' as const, latencyMs: latency(), error: (error as Error).message };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
