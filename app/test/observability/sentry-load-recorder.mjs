// Preloaded with `--import` by sentry-off.test.ts: records every module of the Sentry SDK the process resolves
// and writes the list to SENTRY_LOADS_FILE when it exits. Node's synchronous module hooks see ESM and CommonJS.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.includes('/node_modules/@sentry/')) loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(process.env.SENTRY_LOADS_FILE, JSON.stringify([...loaded])));
