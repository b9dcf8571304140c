import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { environments } from '../src/config/environments.js';
import { requestBuckets, type ServiceObjectives } from '../src/constructs/alerts/slo.js';
import type { AlertingRule, PrometheusRuleSpec } from '../src/constructs/prometheus-operator-schemas.js';
import type { Stage } from '../src/contract.js';
import { type AlertCase, alertCasesFor } from './promtool/cases.js';
import {
  checkRules,
  failedGroups,
  type PromtoolResult,
  type PromtoolTestGroup,
  promtoolAvailable,
  testRules,
} from './promtool/promtool.js';
import { all, synthesized } from './support/fixtures.js';
import { repoRoot } from './support/repo.js';

/*
 * Every alert of every stage's PrometheusRule is run through `promtool test rules` on synthetic series: it must
 * fire on its case, with its labels and annotations, and stay silent on the quiet cases next to it.
 */
const monitored = synthesized.filter((r) => environments[r.env].monitoring.enabled);
const specOf = (result: (typeof monitored)[number]) =>
  all(result, 'PrometheusRule')[0]!.spec as PrometheusRuleSpec;
const rulesOf = (spec: PrometheusRuleSpec): AlertingRule[] => spec.groups.flatMap((g) => g.rules);
const prod = specOf(monitored.find((r) => r.env === 'prod')!);
/** The objectives the chart built a stage's burn-rate rules from: its `slo`. */
const objectivesOf = (env: Stage): ServiceObjectives => environments[env].slo;

function testGroups(spec: PrometheusRuleSpec, c: AlertCase): PromtoolTestGroup[] {
  const rule = rulesOf(spec).find((r) => r.alert === c.alert);
  if (!rule) throw new Error(`no rule ${c.alert}`);
  const { summary, runbook_url } = rule.annotations;
  return [
    {
      name: `${c.alert} fires`,
      interval: '1m',
      input_series: c.firing.series,
      alert_rule_test: [
        {
          eval_time: c.firing.at,
          alertname: c.alert,
          exp_alerts: [
            {
              exp_labels: { ...c.firing.labels, severity: rule.labels.severity },
              exp_annotations: { summary, description: c.firing.description, runbook_url },
            },
          ],
        },
      ],
    },
    ...c.quiet.map((q) => ({
      name: `${c.alert} stays silent: ${q.why}`,
      interval: '1m',
      input_series: q.series,
      alert_rule_test: [{ eval_time: q.at, alertname: c.alert, exp_alerts: [] }],
    })),
  ];
}

describe('alert rules', () => {
  it('have a promtool case for every alert, and no case without an alert', () => {
    const alerts = rulesOf(prod).map((r) => r.alert);
    expect(
      alertCasesFor(objectivesOf('prod'))
        .map((c) => c.alert)
        .sort(),
    ).toEqual([...alerts].sort());
  });

  it('each have a runbook page in docs/runbooks, linked from the alert', () => {
    for (const rule of rulesOf(prod)) {
      expect(new URL(rule.annotations.runbook_url).pathname, rule.alert).toMatch(
        new RegExp(`/docs/runbooks/${rule.alert}\\.md$`),
      );
      expect(existsSync(join(repoRoot, 'docs/runbooks', `${rule.alert}.md`)), rule.alert).toBe(true);
    }
  });

  it('keep templates out of summaries (a summary names the condition; values go in the description)', () => {
    for (const rule of rulesOf(prod)) expect(rule.annotations.summary, rule.alert).not.toContain('{{');
  });
});

describe.skipIf(!promtoolAvailable)(
  'alert rules under promtool (skipped without promtool: Debian package `prometheus`)',
  () => {
    describe.each(monitored.map((r) => [r.env, specOf(r)] as const))('%s', (env, spec) => {
      const cases = alertCasesFor(objectivesOf(env));
      // One promtool run for all the cases of a stage (its start-up dominates a case); each alert then reads
      // its own verdict from the report, which names every failing test group.
      let run: PromtoolResult;
      beforeAll(() => {
        run = testRules(
          spec,
          cases.flatMap((c) => testGroups(spec, c)),
        );
      }, 180_000);

      it('load in Prometheus (promtool check rules)', () => {
        const result = checkRules(spec);
        expect(result.passed, result.output).toBe(true);
      });

      it('run every case (promtool test rules)', () => {
        expect(run.output).toMatch(/SUCCESS|FAILED/);
      });

      it.each(cases.map((c) => c.alert))('%s fires on its case and only there', (alert) => {
        expect(failedGroups(run), run.output).not.toContainEqual(expect.stringMatching(`^${alert} `));
        if (!run.passed) expect(failedGroups(run).length, run.output).toBeGreaterThan(0);
      });
    });

    it('fail when a rule is wrong (a threshold ten times too high)', () => {
      const planted: PrometheusRuleSpec = {
        groups: prod.groups.map((g) => ({
          ...g,
          rules: g.rules.map((r) =>
            r.alert === 'PlatformApiHighErrorRate' ? { ...r, expr: r.expr.replace(/> 0\.05$/, '> 0.5') } : r,
          ),
        })),
      };
      const c = alertCasesFor(objectivesOf('prod')).find((x) => x.alert === 'PlatformApiHighErrorRate')!;
      const result = testRules(planted, testGroups(planted, c));
      expect(result.passed).toBe(false);
      expect(failedGroups(result)).toEqual(['PlatformApiHighErrorRate fires']);
    });
  },
);

describe('service level objectives', () => {
  it('measure latency at a bucket boundary the app really has', () => {
    const metrics = readFileSync(join(repoRoot, 'app/src/observability/metrics.ts'), 'utf8');
    const buckets = /const durationBuckets = \[([^\]]+)\]/.exec(metrics)![1]!.split(',').map(Number);
    expect(requestBuckets).toEqual(buckets);
    for (const r of monitored) expect(buckets).toContain(objectivesOf(r.env).latency.thresholdSeconds);
  });
});
