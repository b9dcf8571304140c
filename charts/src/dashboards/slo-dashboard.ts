import { service } from '../contract.js';
import { type DashboardDefinition, type PanelDefinition, stat, timeseries } from './panels.js';
import {
  budgetRemaining,
  burnRate,
  burnRateWindows,
  errorBudget,
  errorRatio,
  promNumber,
  type Sli,
  type SloObjectives,
} from './slo-queries.js';

function objective(sli: Sli, objectives: SloObjectives): string {
  const percent = (target: number) => `${promNumber(target * 100)}%`;
  return sli === 'availability'
    ? `${percent(objectives.availability)} of requests not 5xx`
    : `${percent(objectives.latency.target)} of requests within ${promNumber(objectives.latency.thresholdSeconds)}s`;
}

function sliPanels(sli: Sli, objectives: SloObjectives): PanelDefinition[] {
  const window = objectives.window;
  return [
    stat({
      title: `SLI over ${window}`,
      description: `The share of good requests over the SLO window; the objective is ${objective(sli, objectives)}.`,
      unit: 'percentunit',
      queries: [{ expr: `1 - (${errorRatio(sli, window, objectives)})` }],
      thresholds: [
        { value: 0, color: 'red' },
        { value: 1 - errorBudget(sli, objectives), color: 'green' },
      ],
    }),
    stat({
      title: 'Error budget left',
      description: `Share of the ${window} error budget (${promNumber(errorBudget(sli, objectives) * 100)}% of requests) still unspent.`,
      unit: 'percentunit',
      queries: [{ expr: budgetRemaining(sli, objectives) }],
      thresholds: [
        { value: 0, color: 'red' },
        { value: 0.25, color: 'orange' },
        { value: 0.5, color: 'green' },
      ],
    }),
    stat({
      title: 'Burn rate (1h)',
      description:
        'How many times faster than sustainable the last hour spent the budget (1 = exactly on budget).',
      unit: 'short',
      queries: [{ expr: burnRate(sli, '1h', objectives) }],
      thresholds: [
        { value: 0, color: 'green' },
        { value: 1, color: 'orange' },
        { value: 14.4, color: 'red' },
      ],
    }),
    stat({
      title: 'Burn rate (6h)',
      description: 'How many times faster than sustainable the last six hours spent the budget.',
      unit: 'short',
      queries: [{ expr: burnRate(sli, '6h', objectives) }],
      thresholds: [
        { value: 0, color: 'green' },
        { value: 1, color: 'orange' },
        { value: 6, color: 'red' },
      ],
    }),
    timeseries({
      title: 'Burn rate by alert window',
      description:
        'Burn rate over each long window of the multi-window alerts; an alert fires when a long window and its short window both exceed the factor in the legend.',
      unit: 'short',
      min: 0,
      queries: burnRateWindows.map((pair) => ({
        expr: burnRate(sli, pair.long, objectives),
        legend: `${pair.long} (${pair.severity} above ${pair.factor})`,
      })),
    }),
    timeseries({
      title: 'Bad requests',
      description: 'Share of requests that count against the SLO over 5 minutes, against the budget’s share.',
      unit: 'percentunit',
      min: 0,
      queries: [
        { expr: errorRatio(sli, '5m', objectives), legend: 'bad (5m)' },
        { expr: `vector(${promNumber(errorBudget(sli, objectives))})`, legend: 'budget' },
      ],
    }),
  ];
}

/** Availability and latency objectives: where the budget stands and how fast it burns. */
export function sloDashboard(objectives: SloObjectives): DashboardDefinition {
  return {
    uid: `${service.name}-slo`,
    title: 'Platform API / SLOs',
    description: `Error budgets and burn rates of the API’s availability and latency objectives over ${objectives.window}.`,
    rows: [
      {
        title: `Availability: ${objective('availability', objectives)}`,
        panels: sliPanels('availability', objectives),
      },
      { title: `Latency: ${objective('latency', objectives)}`, panels: sliPanels('latency', objectives) },
    ],
  };
}
