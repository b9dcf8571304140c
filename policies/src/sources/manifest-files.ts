import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isKubeObject, type KubeObject } from '../model/kube-object.js';

export interface ManifestSet {
  objects: KubeObject[];
  /** Which file each object came from, for the report. */
  fileOf: Map<KubeObject, string>;
}

export class ManifestError extends Error {}

/** Reads every `*.yaml`/`*.yml` file of a directory (one level, sorted) as Kubernetes objects. */
export async function readManifestDirectory(directory: string): Promise<ManifestSet> {
  const files = await listManifestFiles(directory);
  const set: ManifestSet = { objects: [], fileOf: new Map() };
  for (const file of files) {
    for (const object of parseManifests(await readFile(join(directory, file), 'utf8'), file)) {
      set.objects.push(object);
      set.fileOf.set(object, file);
    }
  }
  return set;
}

export function parseManifests(text: string, file: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((document, index) => {
    const [error] = document.errors;
    if (error) throw new ManifestError(`${file}: document ${index + 1}: ${error.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return [];
    if (!isKubeObject(value))
      throw new ManifestError(`${file}: document ${index + 1} has no apiVersion and kind`);
    return [value];
  });
}

async function listManifestFiles(directory: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch (cause) {
    throw new ManifestError(`cannot read ${directory}: ${(cause as Error).message}`);
  }
  const files = entries.filter((entry) => /\.ya?ml$/.test(entry)).sort();
  if (files.length === 0) throw new ManifestError(`${directory} holds no YAML manifests`);
  return files;
}
