import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { service } from '../contract.js';
import { type DashboardKey, dashboardKeys, platformDashboards } from './platform-dashboards.js';
import { defaultSloObjectives, type SloObjectives } from './slo-queries.js';

/**
 * The label Grafana's dashboard sidecar watches for. kube-prometheus-stack 88.5.3 sets
 * `grafana.sidecar.dashboards.label: grafana_dashboard`, `labelValue: "1"` and `searchNamespace: ALL`
 * (charts/kube-prometheus-stack/values.yaml), so ConfigMaps in the service's namespace are found.
 */
export const grafanaDashboardLabel = { grafana_dashboard: '1' } as const;

export const dashboardConfigMapName = (key: DashboardKey) => `${service.name}-dashboard-${key}`;

export interface DashboardConfigMapsProps {
  readonly objectives?: SloObjectives;
}

/** One ConfigMap per dashboard, the dashboard's JSON under `<key>.json`, for the sidecar to load into Grafana. */
export class DashboardConfigMaps extends Construct {
  constructor(scope: Construct, id: string, props: DashboardConfigMapsProps = {}) {
    super(scope, id);
    const dashboards = platformDashboards(props.objectives ?? defaultSloObjectives);
    for (const key of dashboardKeys) {
      new kplus.k8s.KubeConfigMap(this, key, {
        metadata: {
          name: dashboardConfigMapName(key),
          labels: {
            ...grafanaDashboardLabel,
            'app.kubernetes.io/name': service.name,
            'app.kubernetes.io/component': 'dashboards',
            'app.kubernetes.io/part-of': 'platform',
          },
        },
        data: { [`${key}.json`]: `${JSON.stringify(dashboards[key], null, 2)}\n` },
      });
    }
  }
}
