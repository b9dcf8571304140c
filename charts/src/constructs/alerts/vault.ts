import { service } from '../../contract.js';
import type { AlertGroup } from './rule.js';
import { matchers } from './series.js';

export const vaultThresholds = {
  /**
   * Seconds of token life left. The token keeper renews at 66% of the TTL (app/src/adapters/vault/
   * token-keeper.ts) and the role's TTL is an hour (terraform/modules/vault-app-access, token_ttl_seconds), so
   * a healthy token never has less than 20 minutes left.
   */
  tokenLifeSeconds: 600,
  renewalFailuresPer30m: 2,
} as const;

/*
 * app/src/observability: `vault_token_renewal_failures_total`, `vault_login_failures_total` and
 * `vault_token_expiry_timestamp_seconds` (when the current token expires, in Unix seconds).
 */
export function vaultAlerts(): AlertGroup {
  const ns = matchers.namespace;
  const t = vaultThresholds;
  return {
    name: `${service.name}.vault`,
    alerts: [
      {
        alert: 'PlatformVaultLoginFailing',
        // The keeper retries with backoff and no limit: failures in every window mean it is not recovering.
        expr: `max by (pod) (increase(vault_login_failures_total{${ns}}[10m])) > 0`,
        for: '10m',
        summary: 'A pod keeps failing to log in to Vault',
        description:
          'Pod {{ $labels.pod }} failed {{ $value | humanize }} Vault logins in the last 10 minutes and has not recovered.',
        urgency: 'page',
      },
      {
        alert: 'PlatformVaultRenewalFailing',
        expr: `max by (pod) (increase(vault_token_renewal_failures_total{${ns}}[30m])) > ${t.renewalFailuresPer30m}`,
        for: '5m',
        summary: `More than ${t.renewalFailuresPer30m} Vault token renewals failed within 30 minutes`,
        description:
          'Pod {{ $labels.pod }} failed {{ $value | humanize }} token renewals in 30 minutes; each one forces a new login.',
        urgency: 'page',
      },
      {
        alert: 'PlatformVaultTokenExpiringSoon',
        expr: `min by (pod) (vault_token_expiry_timestamp_seconds{${ns}}) - time() < ${t.tokenLifeSeconds}`,
        for: '2m',
        summary: `A pod's Vault token expires within ${t.tokenLifeSeconds / 60} minutes`,
        description:
          'The Vault token of pod {{ $labels.pod }} expires in {{ $value | humanizeDuration }}: renewal is not keeping up, and secrets can no longer be read or rotated once it lapses.',
        urgency: 'page',
      },
    ],
  };
}
