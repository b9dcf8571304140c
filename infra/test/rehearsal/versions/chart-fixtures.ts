import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const upstreamDirectory = fileURLToPath(new URL('../upstream/', import.meta.url));

/** The fields of a chart's Chart.yaml the version checks read. */
export interface ChartFixture {
  /** Folder under upstream/ it was read from. */
  folder: string;
  name: string;
  version: string;
  appVersion?: string;
  kubeVersion?: string;
}

/** Every upstream/<folder>/Chart.yaml: the published charts' own metadata. */
export function chartFixtures(directory: string = upstreamDirectory): ChartFixture[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(directory, entry.name, 'Chart.yaml')))
    .map((entry) => {
      const chart = parse(readFileSync(join(directory, entry.name, 'Chart.yaml'), 'utf8')) as Record<
        string,
        unknown
      >;
      return {
        folder: entry.name,
        name: String(chart.name),
        version: String(chart.version),
        ...(chart.appVersion === undefined ? {} : { appVersion: String(chart.appVersion) }),
        ...(chart.kubeVersion === undefined ? {} : { kubeVersion: String(chart.kubeVersion) }),
      };
    });
}
