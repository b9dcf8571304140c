import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutSvg } from '../src/dashboards/layout-svg.js';
import { dashboardKeys, platformDashboards } from '../src/dashboards/platform-dashboards.js';
import { layoutsDirectory } from '../src/dashboards/write-layouts.js';

describe('the layout sketches in docs/dashboards', () => {
  const dashboards = platformDashboards();

  it.each(dashboardKeys)(
    '%s.svg is what the dashboard draws today (npx tsx charts/src/dashboards/write-layouts.ts)',
    (key) => {
      expect(readFileSync(`${layoutsDirectory}${key}.svg`, 'utf8')).toBe(layoutSvg(dashboards[key]));
    },
  );

  it('draws every panel and row title, escaped', () => {
    const svg = layoutSvg(dashboards.worker);
    for (const panel of dashboards.worker.panels ?? []) {
      expect(svg).toContain(`>${(panel.title ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`);
    }
    const hostile = JSON.parse(JSON.stringify(dashboards.redis)) as typeof dashboards.redis;
    hostile.title = '<script>&';
    expect(layoutSvg(hostile)).toContain('>&lt;script&gt;&amp;</text>');
  });
});
