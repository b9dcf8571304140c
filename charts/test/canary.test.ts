import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../src/config/environment-schema.js';
import { environments } from '../src/config/environments.js';
import { withOverrides } from '../src/config/stage-override.js';
import { canaryRouteName, canaryServiceName } from '../src/constructs/canary-names.js';
import { analysisTemplateName, rollbackRevisions } from '../src/constructs/canary-release.js';
import { service } from '../src/contract.js';
import type { KubeObject } from '../src/synth/synth-environment.js';
import { evaluate, promtoolAvailable } from './canary/promql.js';
import { all, only, synthesized } from './support/fixtures.js';
import { repoRoot } from './support/repo.js';
import { rolloutViolations } from './support/rollout-rules.js';
import { validateObject } from './support/validators.js';

interface Metric {
  name: string;
  interval: string;
  failureLimit: number;
  successCondition: string;
  failureCondition: string;
  provider: { prometheus: { address: string; query: string } };
}

const spec = <T>(o: KubeObject) => o.spec as T;
const clone = (objects: readonly KubeObject[]) => structuredClone(objects) as KubeObject[];
const metricsOf = (objects: readonly KubeObject[]) =>
  spec<{ metrics: Metric[] }>(objects.find((o) => o.kind === 'AnalysisTemplate')!).metrics;
const canaryOf = (objects: readonly KubeObject[]) =>
  spec<{ strategy: { canary: Record<string, unknown> } }>(objects.find((o) => o.kind === 'Rollout')!).strategy
    .canary;

describe.each(synthesized.map((r) => [r.env, r] as const))('%s release', (env, result) => {
  const canary = environments[env].canary;
  const hpa = result.objects.find(
    (o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === service.name,
  );
  const route = () =>
    spec<{ http: { name: string; route: { destination: { host: string }; weight?: number }[] }[] }>(
      only(result, 'VirtualService', service.name),
    ).http.find((r) => r.name === canaryRouteName)!.route;

  if (!canary.enabled) {
    it('stays a plain rolling update: no Rollout, no analysis, no canary Service or route', () => {
      expect(all(result, 'Rollout')).toEqual([]);
      expect(all(result, 'AnalysisTemplate')).toEqual([]);
      expect(result.objects.filter((o) => o.metadata.name === canaryServiceName)).toEqual([]);
      expect(route().map((r) => r.weight)).toEqual([undefined]);
      const deployment = spec<{ strategy: { type: string } }>(only(result, 'Deployment', service.name));
      expect(deployment.strategy.type).toBe('RollingUpdate');
      if (hpa)
        expect(spec<{ scaleTargetRef: object }>(hpa).scaleTargetRef).toMatchObject({ kind: 'Deployment' });
    });
    return;
  }

  it('runs the API through a Rollout that takes its pods from the chart’s Deployment', () => {
    const rollout = only(result, 'Rollout', service.name);
    expect(spec<{ workloadRef: object }>(rollout).workloadRef).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: service.name,
    });
    expect(rollout.spec).not.toHaveProperty('template');
    expect(spec<{ rollbackWindow: object }>(rollout).rollbackWindow).toEqual({
      revisions: rollbackRevisions,
    });
  });

  it('passes the Argo Rollouts controller’s own checks (references, steps, routes, metrics)', () => {
    expect(rolloutViolations(result.objects)).toEqual([]);
  });

  it('lets the HPA scale the Rollout and leaves the Deployment’s replicas to the controller', () => {
    expect(spec<{ scaleTargetRef: object }>(hpa!).scaleTargetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: service.name,
    });
    expect(only(result, 'Deployment', service.name).spec).not.toHaveProperty('replicas');
  });

  it('has the canary pods scraped through the canary Service, the series the analysis reads', () => {
    const monitors = all(result, 'ServiceMonitor').map(
      (m) => spec<{ selector: { matchLabels: Record<string, string> } }>(m).selector.matchLabels,
    );
    const labels = (only(result, 'Service', canaryServiceName).metadata.labels ?? {}) as Record<
      string,
      string
    >;
    const scraping = monitors.filter((selector) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value),
    );
    expect(scraping).toHaveLength(1);
  });

  it('rests with all of the route’s weight on the stable Service', () => {
    expect(route().map((r) => [r.destination.host.split('.')[0], r.weight])).toEqual([
      [service.name, 100],
      [canaryServiceName, 0],
    ]);
  });

  it('moves the stage’s weights step by step, each held for its pause, analysed from the first step', () => {
    const strategy = canaryOf(result.objects);
    expect(strategy.steps).toEqual(
      canary.steps.flatMap((s) => [{ setWeight: s.weight }, { pause: { duration: s.pause } }]),
    );
    expect(strategy.analysis).toEqual({
      templates: [{ templateName: analysisTemplateName }],
      startingStep: 1,
    });
  });

  it('judges the canary on the stage’s error ratio and p99 thresholds, aborting past its failure limit', () => {
    const { analysis } = canary;
    const metrics = metricsOf(result.objects);
    const byName = Object.fromEntries(metrics.map((m) => [m.name, m]));
    expect(Object.keys(byName)).toEqual(['error-ratio', 'p99-latency']);
    expect(byName['error-ratio']!.failureCondition).toBe(
      `len(result) == 1 && result[0] > ${analysis.maxErrorRatio}`,
    );
    expect(byName['p99-latency']!.failureCondition).toBe(
      `len(result) == 1 && result[0] > ${analysis.maxP99Seconds}`,
    );
    for (const m of metrics) {
      expect(m.interval).toBe(analysis.interval);
      expect(m.failureLimit).toBe(analysis.failureLimit);
      expect(m.provider.prometheus.address).toBe(analysis.prometheusAddress);
      expect(m.provider.prometheus.query).toContain(`service="${canaryServiceName}"`);
      expect(m.provider.prometheus.query).toContain(`[${analysis.window}]`);
      expect(m.provider.prometheus.query).toContain(`>= ${analysis.minRequests}`);
    }
  });
});

describe('the staged rollout per stage', () => {
  it('canaries staging and prod, and nothing else', () => {
    const canaried = synthesized.filter((r) => all(r, 'Rollout').length > 0).map((r) => r.env);
    expect(canaried).toEqual(['staging', 'prod']);
  });
});

describe('Argo Rollouts rules the CRD schema does not hold (planted defects)', () => {
  const prod = synthesized.find((r) => r.env === 'prod')!.objects;
  const planted = (plant: (objects: KubeObject[]) => void) => {
    const objects = clone(prod);
    plant(objects);
    return rolloutViolations(objects).join('\n');
  };
  const find = (objects: KubeObject[], kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name)!;

  it('the same Service for stable and canary', () => {
    expect(planted((o) => (canaryOf(o).canaryService = service.name))).toMatch(/same service/);
  });

  it('a weight over 100, a step with two actions, a pause that is no Go duration', () => {
    expect(planted((o) => ((canaryOf(o).steps as object[])[0] = { setWeight: 120 }))).toMatch(
      /setWeight 120/,
    );
    expect(
      planted((o) => ((canaryOf(o).steps as object[])[0] = { setWeight: 5, pause: { duration: '1m' } })),
    ).toMatch(/sets 2 of/);
    expect(
      planted((o) => ((canaryOf(o).steps as object[])[1] = { pause: { duration: '5 minutes' } })),
    ).toMatch(/not a Go duration/);
  });

  it('a route the VirtualService does not have, or one without the canary destination', () => {
    expect(
      planted((o) => {
        const http = spec<{ http: { name: string }[] }>(find(o, 'VirtualService', service.name)).http;
        http[1]!.name = 'default';
      }),
    ).toMatch(/HTTP Route 'api' is not found/);
    expect(
      planted((o) => {
        const http = spec<{ http: { route: object[] }[] }>(find(o, 'VirtualService', service.name)).http;
        http[1]!.route = http[1]!.route.slice(0, 1);
      }),
    ).toMatch(/Canary Service 'platform-api-canary' not found/);
  });

  it('a Service selecting a label the pods do not carry', () => {
    expect(
      planted((o) => {
        spec<{ selector: Record<string, string> }>(find(o, 'Service', canaryServiceName)).selector.track =
          'canary';
      }),
    ).toMatch(/has unmatch label "track"/);
  });

  it('a workloadRef scale-down the controller does not know, or beside a template', () => {
    expect(
      planted(
        (o) =>
          (spec<{ workloadRef: { scaleDown: string } }>(
            find(o, 'Rollout', service.name),
          ).workloadRef.scaleDown = 'gradually'),
      ),
    ).toMatch(/scaleDown "gradually"/);
    expect(
      planted((o) => (spec<Record<string, unknown>>(find(o, 'Rollout', service.name)).template = {})),
    ).toMatch(/template must be empty/);
  });

  it('an analysis template that is not there, or metrics the controller refuses', () => {
    expect(
      planted((o) => {
        (find(o, 'AnalysisTemplate', analysisTemplateName).metadata as { name: string }).name = 'other';
      }),
    ).toMatch(/AnalysisTemplate "platform-api-red" is not in the chart/);
    expect(
      planted((o) => {
        const metrics = metricsOf(o);
        metrics[1]!.name = metrics[0]!.name;
      }),
    ).toMatch(/duplicate name 'error-ratio'/);
    expect(
      planted((o) => ((metricsOf(o)[0]!.provider as Record<string, unknown>).web = { url: 'http://x' })),
    ).toMatch(/2 providers/);
  });
});

describe('Argo Rollouts CRD schemas (planted defects)', () => {
  const prod = synthesized.find((r) => r.env === 'prod')!.objects;
  const rollout = () => structuredClone(prod.find((o) => o.kind === 'Rollout')!) as KubeObject;
  const template = () => structuredClone(prod.find((o) => o.kind === 'AnalysisTemplate')!) as KubeObject;

  it('refuses a field the CRD does not name (a typo the API server would drop)', () => {
    const typo = rollout();
    const canary = spec<{ strategy: { canary: Record<string, unknown> } }>(typo).strategy.canary;
    canary.trafficRoutng = canary.trafficRouting;
    expect(() => validateObject(typo)).toThrow(/unknown field "trafficRoutng"/);
    const metricTypo = template();
    spec<{ metrics: Record<string, unknown>[] }>(metricTypo).metrics[0]!.successCondtion = 'true';
    expect(() => validateObject(metricTypo)).toThrow(/unknown field "successCondtion"/);
  });

  it('refuses a wrongly typed weight and a metric without a provider', () => {
    const typed = rollout();
    (
      spec<{ strategy: { canary: { steps: object[] } } }>(typed).strategy.canary.steps[0] as {
        setWeight: unknown;
      }
    ).setWeight = '5';
    expect(() => validateObject(typed)).toThrow(/setWeight must be integer/);
    const bare = template();
    delete spec<{ metrics: Record<string, unknown>[] }>(bare).metrics[0]!.provider;
    expect(() => validateObject(bare)).toThrow(/must have required property 'provider'/);
  });
});

describe('canary settings in the stage config', () => {
  const parse = (canary: object) => environmentSchema.safeParse(withOverrides(environments.prod, { canary }));

  it('accept the committed stages', () => {
    for (const env of Object.values(environments))
      expect(environmentSchema.safeParse(env).success).toBe(true);
  });

  it('refuse weights that do not rise', () => {
    const result = parse({
      steps: [
        { weight: 50, pause: '1m' },
        { weight: 20, pause: '1m' },
      ],
    });
    expect(result.error?.issues.map((i) => i.message)).toContain('canary weights must rise step by step');
  });

  it('refuse an analysis window shorter than two scrapes', () => {
    const result = parse({ analysis: { ...environments.prod.canary.analysis, window: '20s' } });
    expect(result.error?.issues.map((i) => i.message)).toContain(
      'canary.analysis.window must span at least two scrapes',
    );
  });
});

describe.skipIf(!promtoolAvailable)('the analysis queries, answered by Prometheus (promtool)', () => {
  const prod = environments.prod.canary.analysis;
  const [errorRatio, p99] = metricsOf(synthesized.find((r) => r.env === 'prod')!.objects).map(
    (m) => m.provider.prometheus.query,
  ) as [string, string];
  const count = 'http_server_request_duration_seconds_count';
  const labels = (svc: string, route: string, status: string) =>
    `{namespace="${service.namespace}", service="${svc}", route="${route}", method="GET", status_code="${status}"}`;
  // 15 s between samples: per-sample increments are requests per 15 s.
  const series = (svc: string, route: string, status: string, per15s: number) => ({
    series: `${count}${labels(svc, route, status)}`,
    values: `0+${per15s}x40`,
  });
  const yes = [{ labels: '{}', value: 1 }];
  const at = '8m';

  it(`fails a canary whose error ratio is over ${prod.maxErrorRatio}, and passes one under it`, () => {
    const bad = evaluate(
      [
        series(canaryServiceName, '/api/v1/items', '200', 95),
        series(canaryServiceName, '/api/v1/items', '500', 5),
      ],
      [{ expr: `count((${errorRatio}) > ${prod.maxErrorRatio})`, eval_time: at, exp_samples: yes }],
    );
    expect(bad.passed, bad.output).toBe(true);
    const good = evaluate(
      [series(canaryServiceName, '/api/v1/items', '200', 100)],
      [{ expr: `count((${errorRatio}) <= ${prod.maxErrorRatio})`, eval_time: at, exp_samples: yes }],
    );
    expect(good.passed, good.output).toBe(true);
  });

  it('counts neither the stable pods’ errors nor failing health probes against the canary', () => {
    const run = evaluate(
      [
        series(canaryServiceName, '/api/v1/items', '200', 100),
        series(service.name, '/api/v1/items', '500', 50),
        series(canaryServiceName, '/api/v1/health/ready', '503', 50),
      ],
      [{ expr: `count((${errorRatio}) <= ${prod.maxErrorRatio})`, eval_time: at, exp_samples: yes }],
    );
    expect(run.passed, run.output).toBe(true);
  });

  it(`answers nothing (an inconclusive measurement) under ${prod.minRequests} requests in a window`, () => {
    const run = evaluate(
      [series(canaryServiceName, '/api/v1/items', '500', 1)],
      [
        { expr: errorRatio, eval_time: at, exp_samples: [] },
        { expr: p99, eval_time: at, exp_samples: [] },
      ],
    );
    expect(run.passed, run.output).toBe(true);
  });

  it(`fails a canary whose p99 is over ${prod.maxP99Seconds}s`, () => {
    const bucket = (le: string, per15s: number) => ({
      series: `http_server_request_duration_seconds_bucket{namespace="${service.namespace}", service="${canaryServiceName}", route="/api/v1/items", method="GET", status_code="200", le="${le}"}`,
      values: `0+${per15s}x40`,
    });
    // 100 requests per 15 s: 90 under 0.25 s, 10 between 2.5 s and 5 s, so the 99th percentile is in (2.5, 5].
    const run = evaluate(
      [
        bucket('0.25', 90),
        bucket('2.5', 90),
        bucket('5', 100),
        bucket('+Inf', 100),
        series(canaryServiceName, '/api/v1/items', '200', 100),
      ],
      [{ expr: `count((${p99}) > ${prod.maxP99Seconds})`, eval_time: at, exp_samples: yes }],
    );
    expect(run.passed, run.output).toBe(true);
  });

  it('queries the metric and labels the service records', () => {
    const source = readFileSync(join(repoRoot, 'app/src/observability/metrics.ts'), 'utf8');
    expect(source).toContain("name: 'http_server_request_duration_seconds'");
    expect(source).toContain("labelNames: ['method', 'route', 'status_code']");
  });
});

describe('the Argo Rollouts CRD fixtures', () => {
  it.each(['Rollout', 'AnalysisTemplate'])(
    'hold the same %s schema as the deploy rehearsal’s copy of the installed chart',
    (kind) => {
      const file = `argoproj.io_v1alpha1_${kind}.json`;
      const read = (path: string) =>
        (JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as { openAPIV3Schema: unknown })
          .openAPIV3Schema;
      expect(read(`charts/test/fixtures/argo-rollouts-crds@2.41.0/${file}`)).toEqual(
        read(`infra/test/rehearsal/upstream/argo-rollouts-crds@2.41.0/${file}`),
      );
    },
  );
});
