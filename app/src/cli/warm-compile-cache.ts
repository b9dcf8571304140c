// `node --import ./dist/telemetry.js dist/cli/warm-compile-cache.js` with NODE_COMPILE_CACHE set: loads what the
// API and the worker load at start, without starting either, so Node's module compile cache keeps V8's compiled
// code for every one of those modules. The image runs it once at build time; each start then reads the cache
// instead of compiling (docs/performance.md has what that saves). It exits 64 when no cache is enabled.
import { readFileSync } from 'node:fs';
import { flushCompileCache, getCompileCacheDir } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The entries' own static imports, read from their text (compiled or, under tsx, the sources), so this list
// cannot drift from theirs. Importing an entry itself would start it.
const entries = ['../main', '../worker'];
const staticImport = /^import\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"];?$/gm;

function importsOf(entry: string): string[] {
  const file = new URL(`${entry}${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(staticImport)].map(([, specifier]) =>
    specifier!.startsWith('.') ? new URL(specifier!, file).href : specifier!,
  );
}

const directory = getCompileCacheDir();
if (!directory) {
  console.error('NODE_COMPILE_CACHE is not set: there is no compile cache to fill.');
  process.exit(64);
}
const modules = [...new Set(entries.flatMap(importsOf))];
for (const specifier of modules) await import(specifier);
flushCompileCache();
console.log(
  `compile cache: ${modules.length} imports of the API and the worker loaded, kept in ${directory}`,
);
