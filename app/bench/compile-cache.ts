import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStart } from './processes.js';
import type { progress } from './progress.js';

/**
 * Node's module compile cache as the image makes it (app/Dockerfile): the warm-up CLI run once over the compiled
 * service, with the telemetry bootstrap and an OTLP endpoint so the exporter's and instrumentations' modules
 * are in it too. Returns the cache's directory.
 */
function fillCompileCache(appDir: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'bench-compile-cache-'));
  execFileSync(process.execPath, ['--import', './dist/telemetry.js', 'dist/cli/warm-compile-cache.js'], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH,
      NODE_COMPILE_CACHE: directory,
      APP_ENV: 'prod',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    },
    stdio: 'ignore',
  });
  return directory;
}

/**
 * A copy of the cache for one start. The image's copy is read-only, so a start never finds what an earlier
 * start compiled after it; each start here gets the cache exactly as the warm-up left it.
 */
function compileCacheCopy(directory: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'bench-compile-cache-copy-'));
  cpSync(directory, copy, { recursive: true });
  return copy;
}

/**
 * Cold starts as the image starts (with the compile cache it carries), alternating with starts that compile
 * every module, `rounds` of each; the cached starts' phases as the service reported them.
 */
export async function coldStartsWithAndWithoutCache(
  appDir: string,
  start: { args: string[]; env: Record<string, string>; readyPath: string },
  step: ReturnType<typeof progress>,
  rounds = 3,
) {
  const cachedMs: number[] = [];
  const phases: Record<string, number>[] = [];
  const uncachedMs: number[] = [];
  const compileCache = fillCompileCache(appDir);
  try {
    for (let i = 1; i <= rounds; i += 1) {
      for (const cached of [true, false]) {
        step(`cold start to ready, ${i} of ${rounds}${cached ? '' : ', without the compile cache'}`);
        const cache = cached ? compileCacheCopy(compileCache) : undefined;
        const env = cache ? { ...start.env, NODE_COMPILE_CACHE: cache } : start.env;
        const measured = await coldStart(start.args, env, start.readyPath);
        if (cache) rmSync(cache, { recursive: true, force: true });
        (cached ? cachedMs : uncachedMs).push(measured.readyMs);
        if (cached) phases.push({ ...measured.phases });
        step.done(`${Math.round(measured.readyMs)} ms (${JSON.stringify(measured.phases)})`);
      }
    }
  } finally {
    rmSync(compileCache, { recursive: true, force: true });
  }
  return { cachedMs, phases, uncachedMs };
}
