import type { KubeObject } from '../../src/synth/synth-environment.js';

/*
 * What the Argo Rollouts controller refuses (or silently cannot do) although the CRD schema lets it through,
 * from argoproj/argo-rollouts@v1.9.0, the chart 2.41.0's appVersion. Each rule names its source; the chart's
 * objects of one stage are checked together, as the controller resolves the references between them.
 */

const source = 'argoproj/argo-rollouts@v1.9.0';

interface Step {
  setWeight?: number;
  pause?: { duration?: string | number };
  [other: string]: unknown;
}

interface RolloutSpec {
  template?: unknown;
  workloadRef?: { apiVersion?: string; kind?: string; name?: string; scaleDown?: string };
  strategy?: {
    canary?: {
      stableService?: string;
      canaryService?: string;
      steps?: Step[];
      trafficRouting?: { istio?: { virtualService?: { name: string; routes?: string[] } } };
      analysis?: {
        templates?: { templateName?: string }[];
        args?: { name: string }[];
        startingStep?: number;
      };
    };
  };
}

interface Metric {
  name: string;
  interval?: string;
  initialDelay?: string;
  failureLimit?: number;
  inconclusiveLimit?: number;
  provider?: Record<string, unknown>;
}

/** Go's time.ParseDuration grammar, which Argo Rollouts parses intervals and pauses with. */
const goDuration = /^(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))+$/;
const isGoDuration = (value: string) => value === '0' || goDuration.test(value);

/** The first DNS label of a destination host, the way the controller compares it with Service names. */
const hostService = (host: string) => host.split('.')[0] ?? host;

const stepKinds = [
  'experiment',
  'setWeight',
  'pause',
  'analysis',
  'setCanaryScale',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
] as const;

export function rolloutViolations(objects: readonly KubeObject[]): string[] {
  const found: string[] = [];
  const find = (kind: string, name: string | undefined) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);

  for (const rollout of objects.filter((o) => o.kind === 'Rollout')) {
    const at = `Rollout/${rollout.metadata.name}`;
    const spec = rollout.spec as RolloutSpec;
    const canary = spec.strategy?.canary;

    // validation.go ValidateRolloutSpec: "template must be empty for workload reference rollout".
    const ref = spec.workloadRef;
    if (ref && spec.template !== undefined)
      found.push(
        `${at}: template must be empty with a workloadRef (${source} pkg/apis/rollouts/validation/validation.go)`,
      );
    // types.go: ScaleDownNever, ScaleDownOnSuccess, ScaleDownProgressively; the CRD types it as a plain string.
    if (ref?.scaleDown !== undefined && !['never', 'onsuccess', 'progressively'].includes(ref.scaleDown)) {
      found.push(
        `${at}: workloadRef.scaleDown "${ref.scaleDown}" is none of never, onsuccess, progressively (${source} pkg/apis/rollouts/v1alpha1/types.go)`,
      );
    }
    const deployment = ref ? find(ref.kind ?? '', ref.name) : undefined;
    if (ref && (ref.apiVersion !== 'apps/v1' || !deployment)) {
      found.push(`${at}: workloadRef names no ${ref.apiVersion}/${ref.kind} "${ref.name}" of the chart`);
    }
    const templateLabels =
      (deployment?.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)
        ?.template?.metadata?.labels ?? {};

    if (!canary) {
      found.push(`${at}: no canary strategy`);
      continue;
    }
    const { stableService, canaryService } = canary;
    // validation.go ValidateRolloutStrategyCanary: DuplicatedServicesCanaryMessage, InvalidTrafficRoutingMessage.
    if (stableService && stableService === canaryService) {
      found.push(`${at}: the same service for the stable and canary services (${source} validation.go)`);
    }
    if (canary.trafficRouting && (!stableService || !canaryService)) {
      found.push(
        `${at}: traffic routing needs both canaryService and stableService (${source} validation.go)`,
      );
    }

    for (const [i, step] of (canary.steps ?? []).entries()) {
      // validation.go: InvalidStepMessage; hasMultipleStepsType.
      const kinds = stepKinds.filter((kind) => step[kind] !== undefined);
      if (kinds.length !== 1)
        found.push(`${at}: steps[${i}] sets ${kinds.length} of ${stepKinds.join(', ')}; exactly one`);
      // validation.go: InvalidSetWeightMessage, 100 without maxTrafficWeight (utils/weightutil MaxTrafficWeight).
      if (step.setWeight !== undefined && (step.setWeight < 0 || step.setWeight > 100)) {
        found.push(`${at}: steps[${i}].setWeight ${step.setWeight} is not between 0 and 100`);
      }
      // types.go RolloutPause.DurationSeconds: an unparseable string is -1, refused as InvalidDurationMessage.
      const duration = step.pause?.duration;
      if (typeof duration === 'string' && !/^[0-9]+$/.test(duration) && !isGoDuration(duration)) {
        found.push(`${at}: steps[${i}].pause.duration "${duration}" is not a Go duration`);
      }
    }

    // validation_references.go ValidateService: every selector label but the controller's hash is on the pods.
    for (const name of [stableService, canaryService]) {
      const svc = find('Service', name);
      if (!svc) {
        found.push(`${at}: Service "${name}" is not in the chart`);
        continue;
      }
      const selector = (svc.spec as { selector?: Record<string, string> }).selector ?? {};
      for (const [key, value] of Object.entries(selector)) {
        if (key !== 'rollouts-pod-template-hash' && templateLabels[key] !== value) {
          found.push(
            `${at}: Service "${name}" has unmatch label "${key}" in rollout (${source} validation_references.go)`,
          );
        }
      }
    }

    // rollout/trafficrouting/istio/istio.go ValidateHTTPRoutes: each named route exists and routes to both.
    const vsRef = canary.trafficRouting?.istio?.virtualService;
    if (vsRef) {
      const vs = find('VirtualService', vsRef.name);
      const http = (
        vs?.spec as { http?: { name?: string; route?: { destination: { host: string } }[] }[] } | undefined
      )?.http;
      if (!vs || !http)
        found.push(`${at}: VirtualService "${vsRef.name}" with HTTP routes is not in the chart`);
      for (const routeName of vsRef.routes ?? []) {
        const route = http?.find((r) => r.name === routeName);
        if (!route) {
          found.push(
            `${at}: HTTP Route '${routeName}' is not found in the defined Virtual Service (${source} istio.go)`,
          );
          continue;
        }
        const hosts = (route.route ?? []).map((d) => hostService(d.destination.host));
        if (!hosts.includes(canaryService ?? ''))
          found.push(
            `${at}: Canary Service '${canaryService}' not found in route ${routeName} (${source} istio.go)`,
          );
        if (!hosts.includes(stableService ?? ''))
          found.push(
            `${at}: Stable Service '${stableService}' not found in route ${routeName} (${source} istio.go)`,
          );
      }
    }

    // validation_references.go ValidateAnalysisTemplateWithType (background analysis): templates resolve, and an
    // argument without a value must come from the Rollout.
    const given = new Set((canary.analysis?.args ?? []).map((a) => a.name));
    for (const { templateName } of canary.analysis?.templates ?? []) {
      const template = find('AnalysisTemplate', templateName);
      if (!template) {
        found.push(`${at}: AnalysisTemplate "${templateName}" is not in the chart`);
        continue;
      }
      const args =
        (template.spec as { args?: { name: string; value?: string; valueFrom?: unknown }[] }).args ?? [];
      for (const arg of args) {
        if (arg.value === undefined && arg.valueFrom === undefined && !given.has(arg.name)) {
          found.push(
            `${at}: AnalysisTemplate ${templateName} argument "${arg.name}" has no value in the rollout`,
          );
        }
      }
    }
  }

  for (const template of objects.filter((o) => o.kind === 'AnalysisTemplate')) {
    found.push(
      ...metricViolations(
        `AnalysisTemplate/${template.metadata.name}`,
        (template.spec as { metrics?: Metric[] }).metrics ?? [],
      ),
    );
  }
  return found;
}

/** utils/analysis/factory.go ValidateMetrics and ValidateMetric (the limits, durations and providers we use). */
function metricViolations(at: string, metrics: readonly Metric[]): string[] {
  const found: string[] = [];
  if (metrics.length === 0) found.push(`${at}: no metrics specified`);
  const names = new Set<string>();
  for (const [i, metric] of metrics.entries()) {
    if (names.has(metric.name)) found.push(`${at}: metrics[${i}]: duplicate name '${metric.name}'`);
    names.add(metric.name);
    if ((metric.failureLimit ?? 0) < -1)
      found.push(`${at}: metrics[${i}]: failureLimit must be >= 0, or -1 to be disabled`);
    if ((metric.inconclusiveLimit ?? 0) < 0)
      found.push(`${at}: metrics[${i}]: inconclusiveLimit must be >= 0`);
    for (const field of ['interval', 'initialDelay'] as const) {
      const value = metric[field];
      if (value !== undefined && !isGoDuration(value))
        found.push(`${at}: metrics[${i}]: invalid ${field} "${value}"`);
    }
    const providers = Object.keys(metric.provider ?? {});
    if (providers.length !== 1)
      found.push(`${at}: metrics[${i}]: ${providers.length} providers; exactly one`);
  }
  return found;
}
