import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InvalidImageReference, localImage, placeholderImage } from '../config/image-reference.js';
import { type Stage, stages } from '../contract.js';
import { summaryLine } from './render-manifests.js';
import { synthEnvironment } from './synth-environment.js';
import { writeManifests } from './write-manifests.js';

/** Lets a deploy pipeline (or a Skaffold hook) pass the built digest without editing a command line. */
export const imageEnvVar = 'PLATFORM_API_IMAGE';

export const defaultDistDir = fileURLToPath(new URL('../../dist', import.meta.url));

const usage = `usage: npm run synth -- [--env <${stages.join('|')}>] [--image <ref>] [--require-image] [--out <dir>]

  --env            one environment (default: all of them)
  --image          image reference; outside local it must be pinned by digest (repo@sha256:...).
                   Also read from $${imageEnvVar}.
  --require-image  fail instead of using the default image (local: ${localImage};
                   elsewhere the placeholder ${placeholderImage})
  --out            output root; writes <out>/<env>/*.yaml (default: charts/dist)`;

export interface SynthRequest {
  readonly envs: readonly Stage[];
  readonly image: string | undefined;
  readonly requireImage: boolean;
  readonly outDir: string;
}

export function parseCli(argv: readonly string[], environ: NodeJS.ProcessEnv): SynthRequest {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      env: { type: 'string' },
      image: { type: 'string' },
      'require-image': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError('');
  const env = values.env;
  if (env !== undefined && !isStage(env)) throw new UsageError(`unknown environment "${env}"`);
  const image = values.image ?? (environ[imageEnvVar] || undefined);
  if (image !== undefined && env === undefined)
    throw new UsageError('--image applies to one environment: add --env');
  return {
    envs: env === undefined ? stages : [env],
    image,
    requireImage: values['require-image'],
    outDir: resolve(values.out ?? defaultDistDir),
  };
}

function isStage(value: string): value is Stage {
  return (stages as readonly string[]).includes(value);
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function defaultImage(env: Stage): string {
  return env === 'local' ? localImage : placeholderImage;
}

/** Synthesizes and writes each requested environment; returns one summary line per environment. */
export async function runSynth(request: SynthRequest, displayRoot: string): Promise<string[]> {
  const lines: string[] = [];
  for (const env of request.envs) {
    if (request.image === undefined && request.requireImage) {
      throw new UsageError(`--require-image: pass --image or set ${imageEnvVar} for ${env}`);
    }
    const result = synthEnvironment(env, { image: request.image ?? defaultImage(env) });
    const dir = resolve(request.outDir, env);
    await writeManifests(result, dir);
    lines.push(summaryLine(result, relative(displayRoot, dir) || '.'));
  }
  return lines;
}

async function main(): Promise<void> {
  try {
    const request = parseCli(process.argv.slice(2), process.env);
    // npm runs workspace scripts from the workspace; show paths from where the user typed the command.
    const lines = await runSynth(request, process.env.INIT_CWD ?? process.cwd());
    for (const line of lines) console.log(line);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidImageReference) {
      if (error.message) console.error(`synth: ${error.message}`);
      console.error(usage);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
