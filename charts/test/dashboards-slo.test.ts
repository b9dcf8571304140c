import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  burnRate,
  burnRateCondition,
  burnRateWindows,
  defaultSloObjectives,
  errorRatio,
  type SloObjectives,
} from '../src/dashboards/slo-queries.js';

/*
 * The SLO expressions evaluated by Prometheus's own engine: `promtool test rules` (Debian's prometheus package,
 * as the alert rule tests use) runs each expression over synthetic series and compares the result.
 */

const work = mkdtempSync(join(tmpdir(), 'slo-queries-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const api = 'namespace="platform-api", service="platform-api"';
const series = (name: string, labels: string, perMinute: number) => ({
  series: `http_server_request_duration_seconds_${name}{${api}, ${labels}}`,
  values: `0+${perMinute}x240`,
});

/**
 * Per minute: 99 requests answered 200 (90 of them within the bucket `le`), 1 answered 500 (within it): 1% are
 * 5xx and 9% are slower than the threshold. `le` is spelt as the stored series spell it.
 */
function traffic(le: string) {
  return [
    series('count', 'status_code="200"', 99),
    series('bucket', `status_code="200", le="${le}"`, 90),
    series('count', 'status_code="500"', 1),
    series('bucket', `status_code="500", le="${le}"`, 1),
  ];
}

interface Expectation {
  readonly expr: string;
  /** undefined: the expression must return nothing. */
  readonly value?: number;
}

function promtool(name: string, le: string, expectations: readonly Expectation[]) {
  const file = join(work, `${name}.test.yaml`);
  const test = {
    rule_files: [],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: traffic(le),
        promql_expr_test: expectations.map(({ expr, value }) =>
          // promtool compares exactly, and 0.09 is no binary fraction: compare within 1e-9 instead (1 = equal).
          value === undefined
            ? { expr, eval_time: '4h', exp_samples: [] }
            : {
                expr: `abs((${expr}) - ${value}) < bool 1e-9`,
                eval_time: '4h',
                exp_samples: [{ labels: '{}', value: 1 }],
              },
        ),
      },
    ],
  };
  writeFileSync(file, stringify(test));
  const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { passed: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe('the SLO expressions, evaluated by promtool', () => {
  const objectives = defaultSloObjectives;

  it('error ratios and burn rates come out as the synthetic traffic says', () => {
    const result = promtool('ratios', String(objectives.latency.thresholdSeconds), [
      { expr: errorRatio('availability', '5m', objectives), value: 0.01 },
      { expr: errorRatio('latency', '5m', objectives), value: 0.09 },
      // 1% bad against a 0.1% budget burns 10x; 9% against 1% burns 9x.
      { expr: burnRate('availability', '1h', objectives), value: 10 },
      { expr: burnRate('latency', '1h', objectives), value: 9 },
    ]);
    expect(result.output).toContain('SUCCESS');
    expect(result.passed).toBe(true);
  });

  it('a window pair fires only when both windows burn faster than its factor', () => {
    const [fast, slow] = burnRateWindows;
    const result = promtool('conditions', String(objectives.latency.thresholdSeconds), [
      { expr: burnRateCondition('availability', fast, objectives) },
      { expr: burnRateCondition('availability', slow, objectives), value: 10 },
    ]);
    expect(result.output).toContain('SUCCESS');
    expect(result.passed).toBe(true);
  });

  it('an integer threshold matches the bucket Prometheus 3 stores as le="1.0"', () => {
    const whole: SloObjectives = { ...objectives, latency: { thresholdSeconds: 1, target: 0.99 } };
    const result = promtool('integer-bound', '1.0', [
      { expr: errorRatio('latency', '5m', whole), value: 0.09 },
    ]);
    expect(result.output).toContain('SUCCESS');
  });

  it('fails on a planted defect: an le="1" matcher finds no bucket stored as "1.0"', () => {
    const whole: SloObjectives = { ...objectives, latency: { thresholdSeconds: 1, target: 0.99 } };
    const planted = errorRatio('latency', '5m', whole).replace(/le=~"[^"]*"/, 'le="1"');
    const result = promtool('planted', '1.0', [{ expr: planted, value: 0.09 }]);
    expect(result.passed).toBe(false);
    expect(result.output).toContain('FAILED');
  });
});
