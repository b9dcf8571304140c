import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PrometheusRuleSpec } from '../../src/constructs/prometheus-operator-schemas.js';

/** promtool ships with Debian's `prometheus` package; without it the rule tests skip and say so. */
export const promtoolAvailable = spawnSync('promtool', ['--version']).status === 0;

export interface PromtoolResult {
  readonly passed: boolean;
  readonly output: string;
}

/** One of promtool's unit-test groups: its own series, evaluated at the times of its alert checks. */
export interface PromtoolTestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: ReadonlyArray<{ readonly series: string; readonly values: string }>;
  readonly alert_rule_test: ReadonlyArray<{
    readonly eval_time: string;
    readonly alertname: string;
    readonly exp_alerts: ReadonlyArray<{
      readonly exp_labels: Record<string, string>;
      readonly exp_annotations: Record<string, string>;
    }>;
  }>;
}

/** KEEP_PROMTOOL=1 leaves the rules and test files behind, to rerun promtool on them by hand. */
function inScratchDir<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    return run(dir);
  } finally {
    if (!process.env.KEEP_PROMTOOL) rmSync(dir, { recursive: true, force: true });
  }
}

const result = (run: ReturnType<typeof spawnSync>): PromtoolResult => ({
  passed: run.status === 0,
  output: `${run.stdout}${run.stderr}`,
});

/** `promtool check rules` on the groups exactly as the PrometheusRule carries them. */
export function checkRules(spec: PrometheusRuleSpec): PromtoolResult {
  return inScratchDir((dir) => {
    writeFileSync(join(dir, 'rules.yaml'), stringify(spec));
    return result(spawnSync('promtool', ['check', 'rules', 'rules.yaml'], { cwd: dir, encoding: 'utf8' }));
  });
}

/** `promtool test rules` of the given test groups against the rule groups, evaluated every minute. */
export function testRules(spec: PrometheusRuleSpec, tests: readonly PromtoolTestGroup[]): PromtoolResult {
  return inScratchDir((dir) => {
    writeFileSync(join(dir, 'rules.yaml'), stringify(spec));
    writeFileSync(
      join(dir, 'tests.yaml'),
      stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }),
    );
    return result(
      spawnSync('promtool', ['test', 'rules', 'tests.yaml'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      }),
    );
  });
}

/** The names of the test groups promtool reports as failed (`name: <group>,` under each FAILED heading). */
export function failedGroups(result: PromtoolResult): string[] {
  return [...result.output.matchAll(/^\s*name: (.*),\s*$/gm)].map((m) => m[1]!);
}
