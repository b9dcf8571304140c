import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { meshDashboard } from './mesh-dashboard.js';
import { buildDashboard } from './panels.js';
import { postgresDashboard } from './postgres-dashboard.js';
import { redisDashboard } from './redis-dashboard.js';
import { serviceDashboard } from './service-dashboard.js';
import { sloDashboard } from './slo-dashboard.js';
import { defaultSloObjectives, type SloObjectives } from './slo-queries.js';
import { workerDashboard } from './worker-dashboard.js';

export const dashboardKeys = ['service', 'worker', 'postgres', 'redis', 'mesh', 'slo'] as const;
export type DashboardKey = (typeof dashboardKeys)[number];

/** Every dashboard the service ships, as Grafana dashboard JSON (schema of the foundation SDK). */
export function platformDashboards(
  objectives: SloObjectives = defaultSloObjectives,
): Readonly<Record<DashboardKey, Dashboard>> {
  return {
    service: buildDashboard(serviceDashboard),
    worker: buildDashboard(workerDashboard),
    postgres: buildDashboard(postgresDashboard),
    redis: buildDashboard(redisDashboard),
    mesh: buildDashboard(meshDashboard),
    slo: buildDashboard(sloDashboard(objectives)),
  };
}
