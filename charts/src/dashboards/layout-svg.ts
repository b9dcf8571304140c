import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

/** Grafana's grid: 24 columns, 30 px per height unit. The sketch keeps the proportions at 40 px a column. */
const column = 40;
const unit = 30;
const margin = 4;
const header = 36;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A sketch of a dashboard's panel layout as SVG: where each panel sits on the grid, with its title and kind,
 * drawn from the panels' gridPos. No data: a picture for the docs, not a screenshot.
 */
export function layoutSvg(dashboard: Dashboard): string {
  const panels = (dashboard.panels ?? []) as (Panel | RowPanel)[];
  const bottom = Math.max(...panels.map((panel) => (panel.gridPos ? panel.gridPos.y + panel.gridPos.h : 0)));
  const width = 24 * column;
  const height = header + bottom * unit + margin;
  const shapes = panels.map((panel) => {
    const pos = panel.gridPos ?? { x: 0, y: 0, w: 24, h: 1 };
    const x = pos.x * column + margin / 2;
    const y = header + pos.y * unit + margin / 2;
    const w = pos.w * column - margin;
    const h = pos.h * unit - margin;
    const title = escapeXml(panel.title ?? '');
    if (panel.type === 'row') {
      return `  <text x="${x + 4}" y="${y + 20}" class="row">${title}</text>`;
    }
    return [
      `  <rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" class="panel"/>`,
      `  <text x="${x + 10}" y="${y + 20}" class="title">${title}</text>`,
      `  <text x="${x + 10}" y="${y + h - 10}" class="kind">${escapeXml(panel.type)}</text>`,
    ].join('\n');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `  <title>Panel layout of the ${escapeXml(dashboard.title ?? '')} dashboard</title>`,
    '  <style>',
    '    .background { fill: #111217; }',
    '    .panel { fill: #181b1f; stroke: #2c3235; }',
    '    .heading { fill: #d8d9da; font: 600 18px sans-serif; }',
    '    .row { fill: #d8d9da; font: 600 14px sans-serif; }',
    '    .title { fill: #ccccdc; font: 500 13px sans-serif; }',
    '    .kind { fill: #8e8e8e; font: 11px monospace; }',
    '  </style>',
    `  <rect width="${width}" height="${height}" class="background"/>`,
    `  <text x="${margin + 4}" y="24" class="heading">${escapeXml(dashboard.title ?? '')}</text>`,
    ...shapes,
    '</svg>',
    '',
  ].join('\n');
}
