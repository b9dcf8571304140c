import { service } from '../../contract.js';
import type { AlertGroup } from './rule.js';
import { matchers } from './series.js';

/** Thresholds from the service's objectives; the numbers appear in the expressions and the summaries. */
export const serviceThresholds = { errorRatio: 0.05, p95LatencySeconds: 1, memoryOfLimit: 0.8 } as const;

const requests = 'http_server_request_duration_seconds';
const apiPods = `${service.name}-[a-z0-9]{5,10}-[a-z0-9]{5}`;

/** The API's own symptoms: errors, latency, readiness, memory. */
export function serviceAlerts(): AlertGroup {
  const { namespace: ns, api } = matchers;
  const t = serviceThresholds;
  return {
    name: `${service.name}.service`,
    alerts: [
      {
        alert: 'PlatformApiHighErrorRate',
        expr: `sum(rate(${requests}_count{${api}, status_code=~"5.."}[5m])) / sum(rate(${requests}_count{${api}}[5m])) > ${t.errorRatio}`,
        for: '5m',
        summary: `More than ${t.errorRatio * 100}% of requests fail with 5xx`,
        description:
          'The share of 5xx responses over the last 5 minutes is {{ $value | humanizePercentage }}.',
        urgency: 'page',
      },
      {
        alert: 'PlatformApiHighLatency',
        expr: `histogram_quantile(0.95, sum by (le) (rate(${requests}_bucket{${api}}[5m]))) > ${t.p95LatencySeconds}`,
        for: '10m',
        summary: `p95 latency above ${t.p95LatencySeconds}s`,
        description: 'The 95th percentile of request duration is {{ $value | humanizeDuration }}.',
        urgency: 'page',
      },
      {
        alert: 'PlatformApiNotReady',
        // Only the API's ReplicaSet pods (<name>-<hash>-<suffix>): a finished migration Job pod is never ready.
        expr: `sum by (pod) (kube_pod_status_ready{${ns}, condition="false", pod=~"${apiPods}"}) > 0`,
        for: '5m',
        summary: 'A pod has been failing its readiness probe for 5 minutes',
        description:
          'Pod {{ $labels.pod }} is not ready: it receives no traffic and its dependencies may be down.',
        urgency: 'page',
      },
      {
        alert: 'PlatformApiMemoryNearLimit',
        expr: `max by (pod) (container_memory_working_set_bytes{${ns}, container="api"} / on (pod, container) kube_pod_container_resource_limits{${ns}, container="api", resource="memory"}) > ${t.memoryOfLimit}`,
        for: '15m',
        summary: `Memory above ${t.memoryOfLimit * 100}% of the limit`,
        description:
          'Pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit; the next step is an OOM kill.',
        urgency: 'page',
      },
    ],
  };
}
