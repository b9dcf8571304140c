import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import { parser } from '@prometheus-io/lezer-promql';
import { exposedMetrics, exposedSeries } from '../src/dashboards/exposed-metrics.js';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/**
 * Reads the dashboards' PromQL with Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of the
 * Prometheus web UI) and checks each query against the metrics the platform exposes. Not a test file: the
 * dashboard tests and their planted-defect cases share it.
 */

export interface DashboardQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

type AnyPanel = Panel | RowPanel;
const isRow = (panel: AnyPanel): panel is RowPanel => panel.type === 'row';

/** Every query of a dashboard: panel targets and query variables. */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  const panels = (dashboard.panels ?? []).flatMap((panel) =>
    isRow(panel) ? [panel, ...panel.panels] : [panel],
  );
  for (const panel of panels) {
    if (isRow(panel)) continue;
    for (const target of panel.targets ?? []) {
      const expr = (target as { expr?: unknown }).expr;
      if (typeof expr === 'string')
        queries.push({ dashboard: dashboard.title ?? '', panel: panel.title ?? '', expr });
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    queries.push({
      dashboard: dashboard.title ?? '',
      panel: `$${variable.name}`,
      expr: labelValuesSelector(variable),
    });
  }
  return queries;
}

/** `label_values(selector, label)` is Grafana's, not PromQL: the selector inside is what Prometheus runs. */
function labelValuesSelector(variable: VariableModel): string {
  const query = typeof variable.query === 'string' ? variable.query : '';
  const match = /^label_values\((.*),\s*(\w+)\)$/.exec(query);
  if (!match?.[1])
    throw new Error(`variable ${variable.name}: not a label_values(selector, label) query: ${query}`);
  return match[1];
}

/** Grafana's built-in range variables, and what stands in for them so the query parses as Prometheus sees it. */
const builtins: Readonly<Record<string, string>> = { __rate_interval: '5m', __interval: '1m', __range: '6h' };

/**
 * The query as Grafana sends it: built-in intervals replaced by a duration, dashboard variables by the
 * "All" value (`.*`). A variable the dashboard does not define is left in place, and fails to parse.
 */
export function interpolate(expr: string, variables: readonly string[]): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    if (name in builtins) return builtins[name] as string;
    return variables.includes(name) ? '.*' : whole;
  });
}

function* descendants(node: SyntaxNode, name: string): Generator<SyntaxNode> {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.type.name === name) yield child;
    yield* descendants(child, name);
  }
}

const unquote = (literal: string) => literal.slice(1, -1);
const rangeFunctions = new Set(['rate', 'irate', 'increase']);

interface Selector {
  readonly metric: string | undefined;
  readonly labels: readonly string[];
}

function selector(node: SyntaxNode, text: (node: SyntaxNode) => string, problems: string[]): Selector {
  let metric = node.getChild('Identifier') ? text(node.getChild('Identifier') as SyntaxNode) : undefined;
  const labels: string[] = [];
  const matchers = node.getChild('LabelMatchers');
  for (let matcher = matchers?.firstChild; matcher; matcher = matcher.nextSibling) {
    if (matcher.type.name !== 'UnquotedLabelMatcher') {
      if (!['{', '}', ','].includes(matcher.type.name))
        problems.push(`unsupported matcher form: ${text(matcher)}`);
      continue;
    }
    const label = text(matcher.getChild('LabelName') as SyntaxNode);
    if (label === '__name__') metric = unquote(text(matcher.getChild('StringLiteral') as SyntaxNode));
    else labels.push(label);
  }
  return { metric, labels };
}

/**
 * What is wrong with one query, if anything: a syntax error; a metric nobody exposes; a label the metric does
 * not carry; rate() over a gauge; histogram_quantile() over something other than buckets, or without `le`; a
 * grouping by a label none of its series carries.
 */
export function queryProblems(expr: string): string[] {
  const problems: string[] = [];
  const tree = parser.parse(expr);
  const text = (node: SyntaxNode) => expr.slice(node.from, node.to);
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        problems.push(`syntax error at ${node.from}: …${expr.slice(node.from, node.from + 20)}`);
    },
  });
  if (problems.length > 0) return problems;

  const series = exposedSeries();
  const top = tree.topNode;
  const selectors = new Map<number, Selector>();
  for (const node of descendants(top, 'VectorSelector')) {
    const found = selector(node, text, problems);
    selectors.set(node.from, found);
    if (found.metric === undefined) {
      problems.push(`a selector without a metric name: ${text(node)}`);
      continue;
    }
    const labels = series.get(found.metric);
    if (!labels) {
      problems.push(`unknown metric ${found.metric}`);
      continue;
    }
    for (const label of found.labels) {
      if (!labels.has(label)) problems.push(`${found.metric} has no label ${label}`);
    }
  }
  const metricsIn = (node: SyntaxNode) =>
    [...descendants(node, 'VectorSelector')].flatMap((inner) => selectors.get(inner.from)?.metric ?? []);

  for (const call of descendants(top, 'FunctionCall')) {
    const name = text(call.getChild('FunctionIdentifier') as SyntaxNode);
    if (rangeFunctions.has(name)) {
      for (const metric of metricsIn(call)) {
        if (!isCounterSeries(metric)) problems.push(`${name}() over ${metric}, which is not a counter`);
      }
    }
    if (name === 'histogram_quantile') {
      for (const metric of metricsIn(call)) {
        if (!metric.endsWith('_bucket'))
          problems.push(`histogram_quantile() over ${metric}, not a _bucket series`);
      }
      for (const aggregate of descendants(call, 'AggregateExpr')) {
        const grouping = aggregate.getChild('AggregateModifier')?.getChild('GroupingLabels');
        const by = grouping ? [...descendants(grouping, 'LabelName')].map(text) : [];
        if (!by.includes('le'))
          problems.push(`histogram_quantile() over an aggregation that drops le: ${text(aggregate)}`);
      }
    }
  }

  for (const aggregate of descendants(top, 'AggregateExpr')) {
    const grouping = aggregate.getChild('AggregateModifier')?.getChild('GroupingLabels');
    if (!grouping) continue;
    const carried = new Set(metricsIn(aggregate).flatMap((metric) => [...(series.get(metric) ?? [])]));
    for (const label of [...descendants(grouping, 'LabelName')].map(text)) {
      if (!carried.has(label)) problems.push(`grouping by ${label}, which none of its series carries`);
    }
  }
  return problems;
}

function isCounterSeries(name: string): boolean {
  for (const [metric, entry] of Object.entries(exposedMetrics)) {
    if (entry.type === 'counter' && name === metric) return true;
    if (
      entry.type === 'histogram' &&
      [`${metric}_bucket`, `${metric}_count`, `${metric}_sum`].includes(name)
    ) {
      return true;
    }
  }
  return false;
}

/** The variable names a dashboard defines. */
export function variableNames(dashboard: Dashboard): string[] {
  return (dashboard.templating?.list ?? []).map((variable) => variable.name);
}
