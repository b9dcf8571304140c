import type { Environment } from '../../config/environment-schema.js';
import { runbookBaseUrl } from '../../config/environments.js';
import type { AlertingRule } from '../prometheus-operator-schemas.js';

/**
 * How an alert reaches people: a page interrupts someone now (the stage's severity), a ticket is work for the
 * next working hours (at most `warning`, never above the stage's own severity).
 */
export type Urgency = 'page' | 'ticket';

/** One alert as data; `toAlertingRule` adds the severity and the runbook link every alert carries. */
export interface AlertDefinition {
  /** UpperCamelCase; its runbook is docs/runbooks/<alert>.md. */
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  /** Plain text: the summary names the condition, never a value (templates belong in the description). */
  readonly summary: string;
  readonly description: string;
  readonly urgency: Urgency;
}

/** The alerts of one dependency: one Prometheus rule group. */
export interface AlertGroup {
  readonly name: string;
  readonly alerts: readonly AlertDefinition[];
}

const severityBelow = { info: 'info', warning: 'warning', critical: 'warning' } as const;

export function severityOf(env: Environment, urgency: Urgency): AlertingRule['labels']['severity'] {
  const stage = env.monitoring.alertSeverity;
  return urgency === 'page' ? stage : severityBelow[stage];
}

export function runbookUrl(alert: string): string {
  return `${runbookBaseUrl}/${alert}.md`;
}

export function toAlertingRule(env: Environment, definition: AlertDefinition): AlertingRule {
  return {
    alert: definition.alert,
    expr: definition.expr,
    for: definition.for,
    labels: { severity: severityOf(env, definition.urgency) },
    annotations: {
      summary: definition.summary,
      description: definition.description,
      runbook_url: runbookUrl(definition.alert),
    },
  };
}
