import { service } from '../../contract.js';
import { burnRateWindows } from '../../dashboards/slo-queries.js';
import type { AlertDefinition, AlertGroup, Urgency } from './rule.js';
import { matchers, rate } from './series.js';

/** What the service promises per stage: the share of good requests over 30 days. */
export interface ServiceObjectives {
  /** Share of requests answered without a 5xx. */
  readonly availability: number;
  /** Share of requests answered within `thresholdSeconds`. */
  readonly latency: { readonly thresholdSeconds: number; readonly target: number };
}

/**
 * The request histogram's bucket boundaries (app/src/observability/metrics.ts, `durationBuckets`): a latency
 * objective can only be measured at one of them.
 */
export const requestBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const requests = 'http_server_request_duration_seconds';
// Probes and scrapes are the platform talking to itself: they would dilute the users' error ratio.
const userRequests = `${matchers.api}, route!~"${service.paths.metrics}|/api/v1/health/.+"`;

/** Round away floating-point noise (1 - 0.999 = 0.0010000000000000009). */
const tidy = (n: number) => Number(n.toPrecision(10));

/** One SLI as the bad share of user requests over a window. */
interface Indicator {
  readonly name: 'Availability' | 'Latency';
  readonly target: number;
  readonly badRatio: (window: string) => string;
  readonly what: string;
}

function indicators(objectives: ServiceObjectives): Indicator[] {
  const total = (w: string) => `sum(${rate(`${requests}_count`, userRequests, w)})`;
  const le = objectives.latency.thresholdSeconds;
  if (!requestBuckets.includes(le)) {
    throw new Error(`latency objective ${le}s is not a bucket boundary of ${requests}`);
  }
  return [
    {
      name: 'Availability',
      target: objectives.availability,
      badRatio: (w) =>
        `(sum(${rate(`${requests}_count`, `${userRequests}, status_code=~"5.."`, w)}) / ${total(w)})`,
      what: 'requests failing with 5xx',
    },
    {
      name: 'Latency',
      target: objectives.latency.target,
      badRatio: (w) =>
        `(1 - sum(${rate(`${requests}_bucket`, `${userRequests}, le="${le}"`, w)}) / ${total(w)})`,
      what: `requests slower than ${le}s`,
    },
  ];
}

function burnAlert(indicator: Indicator, urgency: Urgency): AlertDefinition {
  const budget = tidy(1 - indicator.target);
  // The window pairs the SLO dashboard draws (one table): the short window stops the alert soon after the burn.
  const windows = burnRateWindows.filter((w) => w.severity === urgency);
  const pair = ({ long, short, factor }: (typeof windows)[number]) =>
    `(${indicator.badRatio(long)} > ${tidy(factor * budget)} and ${indicator.badRatio(short)} > ${tidy(factor * budget)})`;
  const speed = urgency === 'page' ? 'Fast' : 'Slow';
  const spans = windows.map((w) => `${w.factor}x over ${w.long}`).join(' or ');
  return {
    alert: `PlatformApi${indicator.name}BudgetBurn${speed}`,
    expr: windows.map(pair).join(' or '),
    for: urgency === 'page' ? '2m' : '15m',
    summary: `The ${indicator.name.toLowerCase()} error budget (${tidy(indicator.target * 100)}%) burns ${spans}`,
    description: `{{ $value | humanizePercentage }} of user requests are ${indicator.what}; the objective allows ${tidy(budget * 100)}% over 30 days.`,
    urgency,
  };
}

/** Budget-burn alerts for availability and latency, from the stage's objectives. */
export function sloAlerts(objectives: ServiceObjectives): AlertGroup {
  return {
    name: `${service.name}.slo`,
    alerts: indicators(objectives).flatMap((indicator) => [
      burnAlert(indicator, 'page'),
      burnAlert(indicator, 'ticket'),
    ]),
  };
}
