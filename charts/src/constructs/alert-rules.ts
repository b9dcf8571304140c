import type { Environment } from '../config/environment-schema.js';
import { authAlerts } from './alerts/auth.js';
import { certificateAlerts } from './alerts/certificates.js';
import { databaseAlerts } from './alerts/database.js';
import { redisAlerts } from './alerts/redis.js';
import { type AlertGroup, toAlertingRule } from './alerts/rule.js';
import { serviceAlerts } from './alerts/service.js';
import { type ServiceObjectives, sloAlerts } from './alerts/slo.js';
import { vaultAlerts } from './alerts/vault.js';
import { workerAlerts } from './alerts/worker.js';
import type { PrometheusRuleSpec } from './prometheus-operator-schemas.js';

/** Every alert group: the service's own symptoms, one group per dependency, then the SLO budget burns. */
export function alertGroups(objectives: ServiceObjectives): AlertGroup[] {
  return [
    serviceAlerts(),
    databaseAlerts(),
    redisAlerts(),
    vaultAlerts(),
    workerAlerts(),
    authAlerts(),
    certificateAlerts(),
    sloAlerts(objectives),
  ];
}

/** The PrometheusRule spec of one stage; each alert has a runbook at docs/runbooks/<alert>.md. */
export function prometheusRuleSpec(env: Environment, objectives: ServiceObjectives): PrometheusRuleSpec {
  return {
    groups: alertGroups(objectives).map((group) => ({
      name: group.name,
      rules: group.alerts.map((definition) => toAlertingRule(env, definition)),
    })),
  };
}
