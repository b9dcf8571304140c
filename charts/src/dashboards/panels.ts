import {
  BigValueColorMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  type DataSourceRef,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * Every query goes to the Prometheus the viewer picks in the `datasource` variable; it defaults to the one
 * kube-prometheus-stack provisions (uid `prometheus`, charts/kube-prometheus-stack/values.yaml
 * `grafana.sidecar.datasources.uid` at 88.5.3).
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, resolved by Grafana
const prometheus: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export interface Query {
  readonly expr: string;
  /** Grafana's legend template (`{{route}}`); omitted for a single unlabelled series. */
  readonly legend?: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id: `reqps`, `s`, `percentunit`, `short`, `bytes`... */
  readonly unit: string;
  readonly queries: readonly Query[];
  /** Grid columns out of 24. */
  readonly width?: number;
  readonly height?: number;
  readonly min?: number;
  readonly max?: number;
  /** Colour steps: the value at which each colour starts (the first is the base). */
  readonly thresholds?: readonly { readonly value: number; readonly color: string }[];
}

export type PanelKind = 'timeseries' | 'stat';
export interface PanelDefinition extends PanelSpec {
  readonly kind: PanelKind;
}

export const timeseries = (spec: PanelSpec): PanelDefinition => ({ kind: 'timeseries', ...spec });
export const stat = (spec: PanelSpec): PanelDefinition => ({ kind: 'stat', width: 6, height: 5, ...spec });

export interface VariableDefinition {
  readonly name: string;
  readonly label: string;
  /** A `label_values(...)` query; the variable allows several values and "All" (`.*`). */
  readonly query: string;
}

export interface DashboardDefinition {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables?: readonly VariableDefinition[];
  readonly rows: readonly { readonly title: string; readonly panels: readonly PanelDefinition[] }[];
}

function targets(queries: readonly Query[]): DataqueryBuilder[] {
  return queries.map((query, index) => {
    const target = new DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .datasource(prometheus)
      .expr(query.expr);
    return query.legend ? target.legendFormat(query.legend) : target;
  });
}

function thresholds(spec: PanelSpec): ThresholdsConfigBuilder {
  const steps = spec.thresholds ?? [{ value: 0, color: 'green' }];
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps.map((step, index) => ({ value: index === 0 ? null : step.value, color: step.color })));
}

function panel(spec: PanelDefinition, id: number) {
  const common = <B extends TimeseriesPanelBuilder | StatPanelBuilder>(builder: B): B => {
    builder
      .id(id)
      .title(spec.title)
      .description(spec.description)
      .datasource(prometheus)
      .unit(spec.unit)
      .thresholds(thresholds(spec))
      .gridPos({ x: 0, y: 0, w: spec.width ?? 12, h: spec.height ?? 8 });
    for (const target of targets(spec.queries)) builder.withTarget(target);
    if (spec.min !== undefined) builder.min(spec.min);
    if (spec.max !== undefined) builder.max(spec.max);
    return builder;
  };
  if (spec.kind === 'stat') {
    return common(new StatPanelBuilder())
      .graphMode(BigValueGraphMode.Area)
      .colorMode(BigValueColorMode.Value)
      .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']));
  }
  return common(new TimeseriesPanelBuilder())
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .calcs([]),
    );
}

/**
 * A dashboard in the platform's house style: the datasource variable first, one row per concern, panels
 * numbered in reading order (the SDK leaves ids to the caller; Grafana needs them unique to link and repeat).
 */
export function buildDashboard(definition: DashboardDefinition): Dashboard {
  const builder = new DashboardBuilder(definition.title)
    .uid(definition.uid)
    .description(definition.description)
    .tags(['platform', 'platform-api'])
    .timezone('utc')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Prometheus')
        .type('prometheus')
        .current({ selected: true, text: 'Prometheus', value: 'prometheus' }),
    );
  for (const variable of definition.variables ?? []) {
    builder.withVariable(
      new QueryVariableBuilder(variable.name)
        .label(variable.label)
        .datasource(prometheus)
        .query(variable.query)
        .definition(variable.query)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .current({ selected: true, text: 'All', value: '$__all' }),
    );
  }
  let id = 1;
  for (const row of definition.rows) {
    builder.withRow(new RowBuilder(row.title).id(id++));
    for (const spec of row.panels) builder.withPanel(panel(spec, id++));
  }
  return builder.build();
}
