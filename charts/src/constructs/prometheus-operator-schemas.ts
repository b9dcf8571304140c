import { z } from 'zod';

/*
 * The Prometheus Operator publishes no kubernetes-models package: these schemas cover the fields this chart
 * sets (spelled as in monitoring.coreos.com/v1), are the constructs' types, and validate synthesized objects.
 * `.strict()` so a misspelled field fails here instead of being silently dropped by the API server.
 */
const metadata = z
  .object({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const duration = z.string().regex(/^([0-9]+(ms|s|m|h|d|w|y))+$/, 'a Prometheus duration such as 30s or 5m');
const labelSelector = z.object({ matchLabels: z.record(z.string(), z.string()) }).strict();

export const serviceMonitorSpecSchema = z
  .object({
    selector: labelSelector,
    namespaceSelector: z.object({ matchNames: z.array(z.string()).min(1) }).strict(),
    endpoints: z
      .array(
        z
          .object({
            port: z.string().min(1),
            path: z.string().startsWith('/'),
            interval: duration,
            scrapeTimeout: duration,
            scheme: z.enum(['http', 'https']),
            tlsConfig: z
              .object({
                caFile: z.string(),
                certFile: z.string(),
                keyFile: z.string(),
                insecureSkipVerify: z.boolean(),
              })
              .strict()
              .optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const serviceMonitorSchema = z
  .object({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('ServiceMonitor'),
    metadata,
    spec: serviceMonitorSpecSchema,
  })
  .strict();

const alertingRule = z
  .object({
    alert: z.string().regex(/^[A-Z][A-Za-z0-9]+$/, 'an UpperCamelCase alert name'),
    expr: z.string().min(1),
    for: duration,
    labels: z.object({ severity: z.enum(['info', 'warning', 'critical']) }).catchall(z.string()),
    annotations: z
      .object({ summary: z.string().min(1), description: z.string().min(1), runbook_url: z.url() })
      .strict(),
  })
  .strict();

export const prometheusRuleSpecSchema = z
  .object({
    groups: z
      .array(z.object({ name: z.string().min(1), rules: z.array(alertingRule).min(1) }).strict())
      .min(1),
  })
  .strict();

export const prometheusRuleSchema = z
  .object({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('PrometheusRule'),
    metadata,
    spec: prometheusRuleSpecSchema,
  })
  .strict();

export type ServiceMonitorSpec = z.infer<typeof serviceMonitorSpecSchema>;
export type PrometheusRuleSpec = z.infer<typeof prometheusRuleSpecSchema>;
export type AlertingRule = z.infer<typeof alertingRule>;
