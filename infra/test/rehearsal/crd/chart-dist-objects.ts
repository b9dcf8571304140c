import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KubeObject, kubeObjectsOfYaml } from './custom-resource-objects.js';

const chartsDist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'charts', 'dist');

/** The objects of the synthesized service chart for one environment (charts/dist/<env>/*.yaml). */
export function chartDistObjects(env: string): KubeObject[] {
  const folder = join(chartsDist, env);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) => kubeObjectsOfYaml(readFileSync(join(folder, file), 'utf8')));
}
