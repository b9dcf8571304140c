import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * nodejs/node#64011 (fixed by nodejs/node#64022; present in Node 20.20): `util.inspect(err, { colors: true })`
 * loops, growing a string until V8 gives up (~20 s of CPU and ~3 GB), when a stack frame's path ends in
 * `node_modules/@scope/<file>`. cmd/run reports every uncaught program error through exactly that call
 * (@pulumi/pulumi@3.248.0 cmd/run/error.js `defaultErrorMessage`), and the SDK's published source maps put its
 * frames at `node_modules/@pulumi/<file>.ts` (e.g. `@pulumi/resource.ts`). `--stack-trace-limit` cannot help:
 * tsx reads the caller's stack to serve Node's CommonJS export lexer, and with fewer than three frames named
 * imports from CommonJS packages (cdk8s) fail.
 *
 * This asks a small Node process, with a tiny heap so the loop dies at once, whether the Node that runs the
 * program has the bug; if so the program's process gets `inspect-without-loop.cjs` preloaded.
 */
function nodeLoopsOnScopedStackFrames(): boolean {
  const probe = [
    "const error = new Error('probe');",
    "error.stack = 'Error: probe\\n    at f (/p/node_modules/@scope/file.js:1:1)';",
    "require('node:util').inspect(error, { colors: true });",
  ].join(' ');
  const result = spawnSync(process.execPath, ['--max-old-space-size=32', '-e', probe], {
    stdio: 'ignore',
    timeout: 20_000,
  });
  return result.status !== 0;
}

let workaround: string[] | undefined;

/** Extra Node arguments for the program's process: none on a Node without the bug. */
export function inspectBugWorkaround(): string[] {
  workaround ??= nodeLoopsOnScopedStackFrames()
    ? ['--require', fileURLToPath(new URL('./inspect-without-loop.cjs', import.meta.url))]
    : [];
  return workaround;
}
