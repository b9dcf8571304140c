/** One dependency readiness depends on. */
export interface ReadinessCheck {
  readonly name: string;
  /** False for dependencies the service can work without (it degrades); default true. */
  readonly critical?: boolean;
  check(): Promise<unknown>;
}

export interface CheckResult {
  readonly name: string;
  readonly critical: boolean;
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
    checks.map(async ({ name, check, critical = true }) => {
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return { name, critical, status: 'up' as const, latencyMs: latency() };
      } catch (error) {
        return {
          name,
          critical,
          status: 'down' as const,
          latencyMs: latency(),
          error: (error as Error).message,
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
