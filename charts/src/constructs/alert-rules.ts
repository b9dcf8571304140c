import type { Environment } from '../config/environment-schema.js';
import { runbookBaseUrl } from '../config/environments.js';
import { service } from '../contract.js';
import type { AlertingRule } from './prometheus-operator-schemas.js';

/** Alert names; each has a runbook at docs/runbooks/<name>.md. */
export const alertNames = [
  'PlatformApiHighErrorRate',
  'PlatformApiHighLatency',
  'PlatformApiNotReady',
  'PlatformApiMemoryNearLimit',
] as const;
export type AlertName = (typeof alertNames)[number];

/** Thresholds from the service's objectives; the numbers appear in the expressions and the summaries. */
export const thresholds = { errorRatio: 0.05, p95LatencySeconds: 1, memoryOfLimit: 0.8 } as const;

const requests = 'http_server_request_duration_seconds';
const apiPods = `${service.name}-[a-z0-9]{5,10}-[a-z0-9]{5}`;

export function alertRules(env: Environment): AlertingRule[] {
  const ns = `namespace="${service.namespace}"`;
  const api = `${ns}, service="${service.name}"`;
  const severity = { severity: env.monitoring.alertSeverity };
  const rule = (
    alert: AlertName,
    expr: string,
    forDuration: string,
    summary: string,
    description: string,
  ): AlertingRule => ({
    alert,
    expr,
    for: forDuration,
    labels: severity,
    annotations: { summary, description, runbook_url: `${runbookBaseUrl}/${alert}.md` },
  });

  return [
    rule(
      'PlatformApiHighErrorRate',
      `sum(rate(${requests}_count{${api}, status_code=~"5.."}[5m])) / sum(rate(${requests}_count{${api}}[5m])) > ${thresholds.errorRatio}`,
      '5m',
      `More than ${thresholds.errorRatio * 100}% of requests fail with 5xx`,
      'The share of 5xx responses over the last 5 minutes is {{ $value | humanizePercentage }}.',
    ),
    rule(
      'PlatformApiHighLatency',
      `histogram_quantile(0.95, sum by (le) (rate(${requests}_bucket{${api}}[5m]))) > ${thresholds.p95LatencySeconds}`,
      '10m',
      `p95 latency above ${thresholds.p95LatencySeconds}s`,
      'The 95th percentile of request duration is {{ $value | humanizeDuration }}.',
    ),
    rule(
      'PlatformApiNotReady',
      // Only the API's ReplicaSet pods (<name>-<hash>-<suffix>): a finished migration Job pod is never ready.
      `sum by (pod) (kube_pod_status_ready{${ns}, condition="false", pod=~"${apiPods}"}) > 0`,
      '5m',
      'A pod has been failing its readiness probe for 5 minutes',
      'Pod {{ $labels.pod }} is not ready: it receives no traffic and its dependencies may be down.',
    ),
    rule(
      'PlatformApiMemoryNearLimit',
      `max by (pod) (container_memory_working_set_bytes{${ns}, container="api"} / on (pod, container) kube_pod_container_resource_limits{${ns}, container="api", resource="memory"}) > ${thresholds.memoryOfLimit}`,
      '15m',
      `Memory above ${thresholds.memoryOfLimit * 100}% of the limit`,
      'Pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit; the next step is an OOM kill.',
    ),
  ];
}
