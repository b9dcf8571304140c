import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeholderImage } from '../src/config/image-reference.js';
import { stages } from '../src/contract.js';
import { imageEnvVar, parseCli, runSynth, UsageError } from '../src/synth/cli.js';
import { releaseImage } from './support/fixtures.js';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'synth-'));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('npm run synth', () => {
  it('writes every environment and prints one summary line each, with object count and kinds', async () => {
    const lines = await runSynth(parseCli(['--out', out], {}), out);
    expect(lines).toHaveLength(stages.length);
    for (const [i, env] of stages.entries()) {
      expect(lines[i]).toMatch(
        new RegExp(`^${env}: \\d+ objects \\(.*Deployment 2.*\\) image .* -> ${env}$`),
      );
      expect((await readdir(join(out, env))).sort()).toEqual([
        '10-foundation.yaml',
        '20-migration.yaml',
        '30-workload.yaml',
      ]);
    }
  });

  it('marks the placeholder digest in the output and the summary', async () => {
    const [line] = await runSynth(parseCli(['--env', 'staging', '--out', out], {}), out);
    expect(line).toContain(`${placeholderImage} (placeholder)`);
    expect(await readFile(join(out, 'staging/30-workload.yaml'), 'utf8')).toContain(
      'PLACEHOLDER IMAGE DIGEST',
    );
  });

  it('deploys the given digest and says nothing of placeholders', async () => {
    const [line] = await runSynth(
      parseCli(['--env', 'prod', '--image', releaseImage, '--out', out], {}),
      out,
    );
    expect(line).toContain(releaseImage);
    const workload = await readFile(join(out, 'prod/30-workload.yaml'), 'utf8');
    expect(workload).toContain(`image: ${releaseImage}`);
    expect(workload).not.toContain('PLACEHOLDER');
  });

  it(`reads the image from ${imageEnvVar} when no --image is given`, () => {
    expect(parseCli(['--env', 'dev'], { [imageEnvVar]: releaseImage }).image).toBe(releaseImage);
  });

  it('refuses to fall back to a default image with --require-image', async () => {
    await expect(
      runSynth(parseCli(['--env', 'dev', '--require-image', '--out', out], {}), out),
    ).rejects.toThrow(UsageError);
  });

  it('refuses --image without --env, and unknown environments', () => {
    expect(() => parseCli(['--image', releaseImage], {})).toThrow(/--env/);
    expect(() => parseCli(['--env', 'qa'], {})).toThrow(/unknown environment/);
  });

  it('removes files of groups that no longer exist', async () => {
    await runSynth(parseCli(['--env', 'local', '--out', out], {}), out);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(out, 'local/99-removed.yaml'), 'kind: Stale\n');
    await runSynth(parseCli(['--env', 'local', '--out', out], {}), out);
    expect(await readdir(join(out, 'local'))).not.toContain('99-removed.yaml');
  });

  it('exits 2 with the reason when a tag is given where a digest is required', async () => {
    const run = promisify(execFile);
    const cli = join(import.meta.dirname, '../src/synth/cli.ts');
    const failure = await run(process.execPath, [
      '--import',
      'tsx',
      cli,
      '--env',
      'prod',
      '--image',
      'platform-api:1.0.0',
      '--out',
      out,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('not pinned by digest');
  });
});
