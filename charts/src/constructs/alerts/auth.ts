import { service } from '../../contract.js';
import type { AlertGroup } from './rule.js';
import { matchers, rate } from './series.js';

export const authThresholds = {
  /** Failed logins per second across the service, and their share of all logins: both must be exceeded. */
  failedLoginsPerSecond: 1,
  failedLoginRatio: 0.5,
} as const;

/*
 * `auth_events_total{event,outcome}` (app/src/observability/metrics.ts): a failed login is `login`/`failed`
 * (app/src/modules/auth/auth-service.ts `login`); a refresh token presented again after rotation is
 * `refresh`/`reused`, and the service has already revoked that session family (`revokeForReuse`).
 */
export function authAlerts(): AlertGroup {
  const t = authThresholds;
  // Per pod and outcome first: a pod behind two Services is scraped twice (see series.ts).
  const events = (labels: string) =>
    `sum(max by (pod, outcome) (${rate('auth_events_total', `${matchers.api}, ${labels}`, '5m')}))`;
  const failed = events('event="login", outcome="failed"');
  return {
    name: `${service.name}.auth`,
    alerts: [
      {
        alert: 'PlatformLoginFailureSpike',
        // A rate floor keeps a handful of typos at night from paging; the ratio keeps a busy morning quiet.
        expr: `${failed} > ${t.failedLoginsPerSecond} and ${failed} / ${events('event="login"')} > ${t.failedLoginRatio}`,
        for: '10m',
        summary: `More than ${t.failedLoginRatio * 100}% of logins fail, above ${t.failedLoginsPerSecond} per second`,
        description:
          'Failed logins run at {{ $value | humanize }}/s: credential stuffing or a broken login path.',
        urgency: 'page',
      },
      {
        alert: 'PlatformRefreshTokenReused',
        expr: `sum(max by (pod) (increase(auth_events_total{${matchers.api}, event="refresh", outcome="reused"}[15m]))) > 0`,
        for: '0s',
        summary: 'A rotated refresh token was presented again',
        description:
          '{{ $value | humanize }} refresh tokens were reused in the last 15 minutes; each session family was revoked. Someone may hold copied tokens.',
        urgency: 'ticket',
      },
    ],
  };
}
