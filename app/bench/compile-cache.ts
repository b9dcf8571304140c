import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Node's module compile cache as the image makes it (app/Dockerfile): the warm-up CLI run once over the compiled
 * service, with the telemetry bootstrap and an OTLP endpoint so the exporter's and instrumentations' modules
 * are in it too. Returns the cache's directory.
 */
export function fillCompileCache(appDir: string): string {
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
export function compileCacheCopy(directory: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'bench-compile-cache-copy-'));
  cpSync(directory, copy, { recursive: true });
  return copy;
}
