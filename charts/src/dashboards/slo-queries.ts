import { service } from '../contract.js';

/**
 * The service's SLO arithmetic as PromQL, written once for the dashboards and the burn-rate alerts alike:
 * availability is the share of requests not answered 5xx, latency the share answered within a threshold, both
 * read from the API's `http_server_request_duration_seconds` histogram.
 */
export interface SloObjectives {
  /** Share of requests that must not fail with 5xx over the SLO window (0.999 = 99.9%). */
  readonly availability: number;
  /** Share of requests that must complete within `thresholdSeconds`, a bucket boundary of the histogram. */
  readonly latency: { readonly thresholdSeconds: number; readonly target: number };
  /** The compliance window the error budget is counted over. */
  readonly window: string;
}

export type Sli = 'availability' | 'latency';

/** Objectives for a dashboard built outside a stage (tests, previews); the chart passes each stage's `slo`. */
export const defaultSloObjectives: SloObjectives = {
  availability: 0.999,
  latency: { thresholdSeconds: 0.5, target: 0.99 },
  window: '30d',
};

/**
 * The multi-window, multi-burn-rate pairs of the Google SRE Workbook ("Alerting on SLOs", table 5-8): each
 * fires when both windows burn faster than `factor` times the sustainable rate; the factor is the share of a
 * 30-day budget the long window may spend (14.4 over 1h = 2%).
 */
export const burnRateWindows = [
  { long: '1h', short: '5m', factor: 14.4, severity: 'page' },
  { long: '6h', short: '30m', factor: 6, severity: 'page' },
  { long: '1d', short: '2h', factor: 3, severity: 'ticket' },
  { long: '3d', short: '6h', factor: 1, severity: 'ticket' },
] as const;

const requests = 'http_server_request_duration_seconds';
/** The API's requests as the ServiceMonitor labels them (the worker serves no traffic of its own). */
export const apiRequests = `namespace="${service.namespace}", service="${service.name}"`;
/** Probes and scrapes are the platform talking to itself: the SLIs count users' requests only, as the alerts do. */
const userRequests = `${apiRequests}, route!~"${service.paths.metrics}|/api/v1/health/.+"`;

/** Floating-point noise out of a number that goes into a query (1 - 0.999 is 0.0010000000000000009). */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * The `le` matcher for one bucket boundary. Prometheus 3 normalises classic-histogram `le` values to floats at
 * scrape time (an integer bound `1` is stored as `1.0`, Prometheus 3.0 migration guide), so integer bounds
 * match either spelling.
 */
export function bucketMatcher(seconds: number): string {
  const bound = promNumber(seconds);
  return Number.isInteger(seconds) ? `le=~"${bound}|${bound}\\\\.0"` : `le="${bound}"`;
}

/** The error budget: the share of requests allowed to be bad. */
export function errorBudget(sli: Sli, objectives: SloObjectives): number {
  const target = sli === 'availability' ? objectives.availability : objectives.latency.target;
  return Number((1 - target).toPrecision(12));
}

/** The share of the API's requests over `window` that count against the SLI (0..1). */
export function errorRatio(sli: Sli, window: string, objectives: SloObjectives): string {
  const all = `sum(rate(${requests}_count{${userRequests}}[${window}]))`;
  if (sli === 'availability') {
    return `sum(rate(${requests}_count{${userRequests}, status_code=~"5.."}[${window}])) / ${all}`;
  }
  const fast = `sum(rate(${requests}_bucket{${userRequests}, ${bucketMatcher(objectives.latency.thresholdSeconds)}}[${window}]))`;
  return `1 - ${fast} / ${all}`;
}

/** How many times faster than sustainable the budget burns over `window` (1 = spent exactly at the window's end). */
export function burnRate(sli: Sli, window: string, objectives: SloObjectives): string {
  return `(${errorRatio(sli, window, objectives)}) / ${promNumber(errorBudget(sli, objectives))}`;
}

/** The alert condition of one window pair: both windows burn faster than the factor. */
export function burnRateCondition(
  sli: Sli,
  pair: (typeof burnRateWindows)[number],
  objectives: SloObjectives,
): string {
  const factor = promNumber(pair.factor);
  return `${burnRate(sli, pair.long, objectives)} > ${factor} and ${burnRate(sli, pair.short, objectives)} > ${factor}`;
}

/** The share of the window's error budget still unspent (negative once overspent). */
export function budgetRemaining(sli: Sli, objectives: SloObjectives): string {
  return `1 - ${burnRate(sli, objectives.window, objectives)}`;
}
