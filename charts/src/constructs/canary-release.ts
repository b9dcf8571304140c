import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import { service } from '../contract.js';
import { canaryRouteName, canaryServiceName } from './canary-names.js';
import { objectLabels } from './labels.js';
import { internalPathPrefix } from './mesh-traffic.js';

export const analysisTemplateName = `${service.name}-red`;

/**
 * The pinned Argo Rollouts CRDs' group and version (charts/test/fixtures/argo-rollouts-crds@2.41.0, checked
 * there), and how the rollout scales the Deployment it takes its pod template from once the Rollout's own pods
 * run: step by step as they become available, so the first release under a Rollout never drops capacity.
 */
export const rolloutsApiVersion = 'argoproj.io/v1alpha1';
const workloadScaleDown = 'progressively';
/** How many earlier releases a rollback may return to without a canary. */
export const rollbackRevisions = 3;

type Canary = Environment['canary'];

export interface CanaryReleaseProps {
  readonly canary: Canary;
  /** The Deployment whose pod template the Rollout runs (workloadRef): the chart's own, unchanged. */
  readonly deploymentName: string;
  /** The Service the stable pods answer on: the one the VirtualService and the ServiceMonitor already use. */
  readonly stableServiceName: string;
  /** A fixed replica count; undefined when an HPA scales the Rollout. */
  readonly replicas: number | undefined;
}

/**
 * A canary release of the API on Argo Rollouts: a Rollout that takes its pods from the chart's Deployment
 * (workloadRef), moves the weights of the existing VirtualService route between the stable and canary Services
 * step by step, and runs a background analysis of the canary pods' own RED metrics from the first step on.
 * A failed analysis aborts the release: the route goes back to the stable Service and the canary pods are
 * scaled down; the rollout then reports Degraded, which the deploy workflow fails on.
 */
export class CanaryRelease extends Construct {
  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    const { canary, deploymentName, stableServiceName } = props;
    const labels = objectLabels('api');

    new ApiObject(this, 'rollout', {
      apiVersion: rolloutsApiVersion,
      kind: 'Rollout',
      metadata: { name: deploymentName, labels },
      spec: {
        ...(props.replicas === undefined ? {} : { replicas: props.replicas }),
        revisionHistoryLimit: 5,
        workloadRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deploymentName,
          scaleDown: workloadScaleDown,
        },
        progressDeadlineSeconds: canary.progressDeadlineSeconds,
        // Pods that never become ready abort the release instead of leaving it progressing until someone looks.
        progressDeadlineAbort: true,
        // A rollback (rollback.yml) to one of the last releases comes back at once, without steps or analysis:
        // those pods already served the stage (argoproj/argo-rollouts@v1.9.0 rollout/sync.go, RollbackWindow).
        rollbackWindow: { revisions: rollbackRevisions },
        strategy: {
          canary: {
            stableService: stableServiceName,
            canaryService: canaryServiceName,
            // The same surge the Deployment uses; never fewer ready pods than asked for.
            maxSurge: '25%',
            maxUnavailable: 0,
            trafficRouting: {
              istio: { virtualService: { name: service.name, routes: [canaryRouteName] } },
            },
            analysis: {
              templates: [{ templateName: analysisTemplateName }],
              // From the first weight on: step 0 sends the canary its first traffic.
              startingStep: 1,
            },
            steps: canary.steps.flatMap((step) => [
              { setWeight: step.weight },
              { pause: { duration: step.pause } },
            ]),
          },
        },
      },
    });

    new ApiObject(this, 'analysis', {
      apiVersion: rolloutsApiVersion,
      kind: 'AnalysisTemplate',
      metadata: { name: analysisTemplateName, labels },
      spec: { metrics: redMetrics(canary.analysis) },
    });
  }
}

/**
 * The canary pods' error ratio and p99 latency from the service's own histogram
 * (`http_server_request_duration_seconds`, app/src/observability/metrics.ts: labels method, route,
 * status_code). The ServiceMonitor scrapes every Service with the API's labels, the canary Service included,
 * and the Prometheus Operator labels each series with the Service it was scraped through: `service=
 * "<canary>"` is the canary pods alone. Health probes are left out: the kubelet's, not users'.
 *
 * Too few requests in a window yields an empty result: neither condition holds, the measurement is
 * Inconclusive (argoproj/argo-rollouts@v1.9.0 utils/evaluate/evaluate.go EvaluateResult), and past the limit
 * the rollout pauses for a person instead of promoting a release nobody used.
 */
export function redMetrics(analysis: Canary['analysis']) {
  const selector = [
    `namespace="${service.namespace}"`,
    `service="${canaryServiceName}"`,
    `route!~"${internalPathPrefix(service.paths)}.*"`,
  ].join(', ');
  const window = analysis.window;
  const requests = `sum(rate(http_server_request_duration_seconds_count{${selector}}[${window}]))`;
  const enoughTraffic = `and on () sum(increase(http_server_request_duration_seconds_count{${selector}}[${window}])) >= ${analysis.minRequests}`;
  const errors = `sum(rate(http_server_request_duration_seconds_count{${selector}, status_code=~"5.."}[${window}]))`;
  const p99 = `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{${selector}}[${window}])))`;
  const prometheus = (query: string) => ({ prometheus: { address: analysis.prometheusAddress, query } });
  const judged = (limit: number) => ({
    interval: analysis.interval,
    initialDelay: window,
    failureLimit: analysis.failureLimit,
    // Two windows without enough traffic are tolerated (the first steps of a quiet hour); a third pauses.
    inconclusiveLimit: 2,
    successCondition: `len(result) == 1 && result[0] <= ${limit}`,
    failureCondition: `len(result) == 1 && result[0] > ${limit}`,
  });
  return [
    {
      name: 'error-ratio',
      ...judged(analysis.maxErrorRatio),
      // No 5xx at all is an empty sum, not zero: `or on () vector(0)` makes it zero.
      provider: prometheus(`((${errors} or on () vector(0)) / ${requests}) ${enoughTraffic}`),
    },
    {
      name: 'p99-latency',
      ...judged(analysis.maxP99Seconds),
      provider: prometheus(`${p99} ${enoughTraffic}`),
    },
  ];
}
