import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderManifests } from './render-manifests.js';
import type { SynthesizedEnvironment } from './synth-environment.js';

/** Replaces the YAML files of one environment's directory, so a removed group leaves no stale file behind. */
export async function writeManifests(result: SynthesizedEnvironment, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stale = (await readdir(dir)).filter((name) => name.endsWith('.yaml'));
  await Promise.all(stale.map((name) => rm(join(dir, name))));
  const files = renderManifests(result);
  await Promise.all([...files].map(([name, content]) => writeFile(join(dir, name), content)));
}
