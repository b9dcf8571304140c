/** One dependency readiness depends on. */
export interface ReadinessCheck {
  readonly name: string;
  /** False for dependencies the service can work without (it degrades); default true. */
  readonly critical?: boolean;
  check(): Promise<unknown>;
}

/** What a probe is told: names and states only. Error text (hosts, ports) stays in the log. */
export interface CheckResult {
  readonly name: string;
  readonly critical: boolean;
  readonly status: 'up' | 'down';
}

export interface CheckFailure {
  readonly name: string;
  readonly error: unknown;
  readonly latencyMs: number;
}

/** Runs every check at once, each bounded by the timeout: a hung dependency cannot hang the probe. */
export async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
  onFailure: (failure: CheckFailure) => void = () => undefined,
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async ({ name, check, critical = true }) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return { name, critical, status: 'up' as const };
      } catch (error) {
        onFailure({ name, error, latencyMs: Math.round(performance.now() - started) });
        return { name, critical, status: 'down' as const };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

/**
 * The checks' last result, reused for `ttlMs`, and one run shared by every probe that arrives while it is
 * under way: however often readiness is called, each dependency is pinged at most once per period.
 */
export function cachedChecks(run: () => Promise<CheckResult[]>, ttlMs: number): () => Promise<CheckResult[]> {
  let last: { at: number; results: Promise<CheckResult[]> } | undefined;
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= ttlMs) {
      const results = run();
      last = { at: now, results };
      // Until it settles, callers share this run; after that, it is fresh for ttlMs from its start.
      void results.finally(() => {
        if (last?.results === results) last = { at: performance.now(), results };
      });
    }
    return last.results;
  };
}
