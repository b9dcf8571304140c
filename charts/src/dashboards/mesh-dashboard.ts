import { service } from '../contract.js';
import { type DashboardDefinition, stat, timeseries } from './panels.js';

/** Requests into the service's workloads, as their own sidecars report them. */
const inbound = `reporter="destination", destination_workload_namespace="${service.namespace}"`;
/** Requests the service's workloads make, as their own sidecars report them. */
const outbound = `reporter="source", source_workload_namespace="${service.namespace}"`;
const requests = (selector: string) => `rate(istio_requests_total{${selector}}[$__rate_interval])`;

/**
 * The service through Istio's eyes: what reaches its sidecars (including what the app never sees, such as
 * requests Envoy refused), who calls it, over mTLS or not, and what it calls.
 */
export const meshDashboard: DashboardDefinition = {
  uid: `${service.name}-mesh`,
  title: 'Platform API / Mesh',
  description:
    'Istio standard metrics for the service’s workloads: inbound, callers, mTLS and outbound calls.',
  rows: [
    {
      title: 'Inbound',
      panels: [
        stat({
          title: 'mTLS share',
          description: 'Share of inbound requests that arrived over mutual TLS.',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum(${requests(`${inbound}, connection_security_policy="mutual_tls"`)}) / sum(${requests(inbound)})`,
            },
          ],
          thresholds: [
            { value: 0, color: 'red' },
            { value: 1, color: 'green' },
          ],
        }),
        stat({
          title: 'Inbound 5xx ratio',
          description: 'Share of inbound requests answered 5xx, by the app or by Envoy.',
          unit: 'percentunit',
          queries: [
            { expr: `sum(${requests(`${inbound}, response_code=~"5.."`)}) / sum(${requests(inbound)})` },
          ],
        }),
        timeseries({
          title: 'Inbound by workload and code',
          description: 'Requests per second into each workload, by response code.',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum by (destination_workload, response_code) (${requests(inbound)})`,
              legend: '{{destination_workload}} {{response_code}}',
            },
          ],
        }),
        timeseries({
          title: 'Inbound p99 duration',
          description: '99th percentile of request duration measured by the destination sidecar.',
          unit: 'ms',
          min: 0,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{${inbound}}[$__rate_interval])))`,
              legend: '{{destination_workload}}',
            },
          ],
        }),
        timeseries({
          title: 'Callers',
          description: 'Requests per second by calling workload (unknown: from outside the mesh).',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum by (source_workload, source_workload_namespace) (${requests(inbound)})`,
              legend: '{{source_workload_namespace}}/{{source_workload}}',
            },
          ],
        }),
        timeseries({
          title: 'Envoy response flags',
          description: 'Inbound requests Envoy flagged (e.g. UF upstream failure, UO overflow, NR no route).',
          unit: 'reqps',
          width: 24,
          min: 0,
          queries: [
            {
              expr: `sum by (response_flags) (${requests(`${inbound}, response_flags!="-"`)})`,
              legend: '{{response_flags}}',
            },
          ],
        }),
      ],
    },
    {
      title: 'Outbound',
      panels: [
        timeseries({
          title: 'Outbound by destination and code',
          description: 'HTTP and gRPC calls the service makes (Vault, the collector...), by response code.',
          unit: 'reqps',
          min: 0,
          queries: [
            {
              expr: `sum by (destination_service_name, response_code) (${requests(outbound)})`,
              legend: '{{destination_service_name}} {{response_code}}',
            },
          ],
        }),
        timeseries({
          title: 'Outbound p99 duration',
          description: '99th percentile of call duration measured by the service’s own sidecar.',
          unit: 'ms',
          min: 0,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (destination_service_name, le) (rate(istio_request_duration_milliseconds_bucket{${outbound}}[$__rate_interval])))`,
              legend: '{{destination_service_name}}',
            },
          ],
        }),
      ],
    },
  ],
};
