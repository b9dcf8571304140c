import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { layoutSvg } from './layout-svg.js';
import { dashboardKeys, platformDashboards } from './platform-dashboards.js';

/** Where the docs keep the layout sketches; a test fails when they differ from a fresh render. */
export const layoutsDirectory = fileURLToPath(new URL('../../../docs/dashboards/', import.meta.url));

/** Redraws docs/dashboards/<key>.svg: `npx tsx charts/src/dashboards/write-layouts.ts`. */
if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(layoutsDirectory, { recursive: true });
  const dashboards = platformDashboards();
  for (const key of dashboardKeys) {
    writeFileSync(`${layoutsDirectory}${key}.svg`, layoutSvg(dashboards[key]));
  }
  console.log(`wrote ${dashboardKeys.length} layouts to docs/dashboards/`);
}
