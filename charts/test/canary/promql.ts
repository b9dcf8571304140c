import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** promtool ships with Debian's `prometheus` package (CI installs it); without it these cases skip and say so. */
export const promtoolAvailable = spawnSync('promtool', ['--version']).status === 0;

export interface ExprCase {
  readonly expr: string;
  readonly eval_time: string;
  /** [] for an empty result. */
  readonly exp_samples: ReadonlyArray<{ readonly labels: string; readonly value: number }>;
}

/**
 * Evaluates PromQL expressions over synthetic series with `promtool test rules` (its promql_expr_test cases,
 * no rules): the real Prometheus engine, so a query the analysis sends is judged as Prometheus would answer it.
 */
export function evaluate(
  series: ReadonlyArray<{ readonly series: string; readonly values: string }>,
  cases: readonly ExprCase[],
  interval = '15s',
): { passed: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'canary-promql-'));
  try {
    writeFileSync(join(dir, 'empty.yaml'), 'groups: []\n');
    writeFileSync(
      join(dir, 'tests.yaml'),
      stringify({
        rule_files: ['empty.yaml'],
        tests: [{ interval, input_series: series, promql_expr_test: cases }],
      }),
    );
    const run = spawnSync('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8' });
    return { passed: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
