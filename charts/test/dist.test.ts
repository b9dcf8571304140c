import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { stages } from '../src/contract.js';
import { defaultDistDir, defaultImage } from '../src/synth/cli.js';
import { renderManifests } from '../src/synth/render-manifests.js';
import { synthEnvironment } from '../src/synth/synth-environment.js';
import { imageFor } from './support/fixtures.js';

/*
 * charts/dist/<env>/ is committed: the policy checks read it, reviewers see manifest diffs, and Skaffold needs
 * the rawYaml files to exist before its hook regenerates them. So it must always equal a fresh synth.
 */
describe.each(stages)('charts/dist/%s', (env) => {
  const expected = renderManifests(synthEnvironment(env, { image: defaultImage(env) }));

  it('is up to date with the chart (run `npm run synth` and commit the result)', async () => {
    const dir = `${defaultDistDir}/${env}`;
    const committed = (await readdir(dir)).filter((name) => name.endsWith('.yaml')).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) {
      expect(await readFile(`${dir}/${name}`, 'utf8'), `${env}/${name}`).toBe(content);
    }
  });

  it('matches the reviewed snapshot of a release (a real digest in place of the placeholder)', async () => {
    const release = renderManifests(synthEnvironment(env, { image: imageFor(env) }));
    const document = [...release.entries()].map(([name, content]) => `# ${name}\n${content}`).join('\n');
    await expect(document).toMatchFileSnapshot(`__snapshots__/${env}.yaml`);
  });
});
