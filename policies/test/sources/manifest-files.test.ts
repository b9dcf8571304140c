import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManifestError, parseManifests, readManifestDirectory } from '../../src/sources/manifest-files.js';

const directories: string[] = [];
async function directoryWith(files: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'manifests-'));
  directories.push(directory);
  for (const [name, text] of Object.entries(files)) await writeFile(join(directory, name), text);
  return directory;
}
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true })));
});

describe('reading manifests', () => {
  it('reads every YAML document of every YAML file, in file order, and remembers the file', async () => {
    const directory = await directoryWith({
      'b.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: b }\n',
      'a.yml':
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: a1 }\n---\n---\napiVersion: v1\nkind: Secret\n',
      'notes.txt': 'not a manifest',
    });
    const { objects, fileOf } = await readManifestDirectory(directory);
    expect(objects.map((object) => `${fileOf.get(object)} ${object.kind}`)).toEqual([
      'a.yml ConfigMap',
      'a.yml Secret',
      'b.yaml Service',
    ]);
  });

  it('refuses a document that is not valid YAML, naming the file and document', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: [\n', 'broken.yaml')).toThrow(
      /^broken\.yaml: document 1: /,
    );
  });

  it('refuses a document without apiVersion and kind instead of skipping it', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: Service\n---\nname: stray\n', 'x.yaml')).toThrow(
      new ManifestError('x.yaml: document 2 has no apiVersion and kind'),
    );
  });

  it('refuses a directory without manifests, so a missing synth cannot pass', async () => {
    const directory = await directoryWith({ 'README.md': '# nothing here' });
    await expect(readManifestDirectory(directory)).rejects.toThrow(/holds no YAML manifests/);
  });
});
