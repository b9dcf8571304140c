import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Stage } from '@platform/charts/contract';
import { parseAllDocuments } from 'yaml';

const distDir = fileURLToPath(new URL('../../../../charts/dist/', import.meta.url));

/** The committed manifests for a stage (charts/dist/<stage>/*.yaml), what Skaffold and the program apply. */
export function chartDistObjects(stage: Stage): unknown[] {
  const dir = `${distDir}${stage}/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(`${dir}${f}`, 'utf8')).map((d) => d.toJS() as unknown))
    .filter((o) => o !== null);
}
