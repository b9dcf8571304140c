import type { Dashboard, GridPos, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { service } from '../src/contract.js';
import {
  DashboardConfigMaps,
  dashboardConfigMapName,
  grafanaDashboardLabel,
} from '../src/dashboards/dashboard-config-maps.js';
import { dashboardKeys, platformDashboards } from '../src/dashboards/platform-dashboards.js';

type AnyPanel = Panel | RowPanel;
/** What every Prometheus target carries (the SDK types targets as an opaque Dataquery). */
type Target = { refId?: string; datasource?: { uid?: string } };
const datasourceVariable = '$' + '{datasource}';

const allPanels = (dashboard: Dashboard): AnyPanel[] =>
  (dashboard.panels ?? []).flatMap((panel) =>
    panel.type === 'row' ? [panel, ...(panel as RowPanel).panels] : [panel],
  );

/** Problems with a dashboard's structure: ids, positions, datasources. Empty when it is sound. */
function structureProblems(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  const panels = allPanels(dashboard);
  const ids = panels.map((panel) => panel.id);
  for (const id of ids) {
    if (typeof id !== 'number' || id < 1) problems.push(`panel id ${id} is not a positive number`);
  }
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) problems.push(`panel ids used twice: ${repeated.join(', ')}`);

  const boxes: { title: string; pos: GridPos }[] = [];
  for (const panel of panels) {
    const pos = panel.gridPos;
    if (!pos) {
      problems.push(`"${panel.title}" has no gridPos`);
      continue;
    }
    if (pos.x < 0 || pos.w < 1 || pos.x + pos.w > 24)
      problems.push(`"${panel.title}" leaves the 24-column grid`);
    for (const other of boxes) {
      const overlaps =
        pos.x < other.pos.x + other.pos.w &&
        other.pos.x < pos.x + pos.w &&
        pos.y < other.pos.y + other.pos.h &&
        other.pos.y < pos.y + pos.h;
      if (overlaps) problems.push(`"${panel.title}" overlaps "${other.title}"`);
    }
    boxes.push({ title: panel.title ?? '', pos });
  }

  for (const panel of panels) {
    if (panel.type === 'row') continue;
    const targets = ((panel as Panel).targets ?? []) as Target[];
    if (targets.length === 0) problems.push(`"${panel.title}" has no query`);
    const refIds = targets.map((target) => target.refId);
    if (new Set(refIds).size !== refIds.length) problems.push(`"${panel.title}" repeats a refId`);
    for (const target of [panel as Target, ...targets]) {
      if (target.datasource?.uid !== datasourceVariable) {
        problems.push(`"${panel.title}" does not query the dashboard's datasource variable`);
      }
    }
  }
  return problems;
}

describe('dashboards', () => {
  const dashboards = platformDashboards();

  it('generates every dashboard, each with a title, a description and panels', () => {
    expect(Object.keys(dashboards)).toEqual([...dashboardKeys]);
    for (const dashboard of Object.values(dashboards)) {
      expect(dashboard.title).toMatch(/^Platform API \/ /);
      expect(dashboard.description).toBeTruthy();
      expect(allPanels(dashboard).filter((panel) => panel.type !== 'row').length).toBeGreaterThan(3);
    }
  });

  it('gives each dashboard its own uid, within Grafana’s 40 characters', () => {
    const uids = Object.values(dashboards).map((dashboard) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  it.each(dashboardKeys)(
    '%s: panel ids unique, panels on the grid without overlap, every query on the datasource variable',
    (key) => {
      expect(structureProblems(dashboards[key])).toEqual([]);
    },
  );

  it('refuses a planted duplicate panel id, an overlapping panel and a hard-coded datasource', () => {
    const planted = JSON.parse(JSON.stringify(dashboards.service)) as Dashboard;
    const [, first, second] = planted.panels as Panel[];
    if (!first || !second) throw new Error('the service dashboard has fewer panels than expected');
    second.id = first.id;
    second.gridPos = { ...(first.gridPos as GridPos) };
    const [target] = (second.targets ?? []) as Target[];
    if (target) target.datasource = { uid: 'prometheus' };
    expect(structureProblems(planted)).toEqual([
      `panel ids used twice: ${first.id}`,
      `"${second.title}" overlaps "${first.title}"`,
      `"${second.title}" does not query the dashboard's datasource variable`,
    ]);
  });
});

describe('dashboard ConfigMaps', () => {
  const chart = new Chart(Testing.app(), 'dashboards', { namespace: service.namespace });
  new DashboardConfigMaps(chart, 'dashboards');
  const objects = chart.toJson() as {
    kind: string;
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    data: Record<string, string>;
  }[];
  const dashboards = platformDashboards();

  it('ships one ConfigMap per dashboard, labelled for the Grafana sidecar', () => {
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(
      dashboardKeys.map((key) => `ConfigMap/${dashboardConfigMapName(key)}`),
    );
    for (const object of objects) {
      expect(object.metadata.namespace).toBe(service.namespace);
      expect(object.metadata.labels).toMatchObject(grafanaDashboardLabel);
    }
  });

  it('holds each dashboard’s JSON as its only data, small enough for a client-side apply', () => {
    for (const [index, key] of dashboardKeys.entries()) {
      const object = objects[index];
      expect(Object.keys(object?.data ?? {})).toEqual([`${key}.json`]);
      const json = object?.data[`${key}.json`] ?? '';
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(dashboards[key])));
      // kubectl's last-applied-configuration annotation holds the whole object: 256 KiB at most.
      expect(Buffer.byteLength(json)).toBeLessThan(256 * 1024);
    }
  });
});
