/**
 * OpenTelemetry bootstrap, loaded before the service with `node --import` (compiled:
 * `node --import ./dist/telemetry.js dist/main.js`; sources: `node --import tsx --import ./src/telemetry.ts
 * src/main.ts`). It must run first: instrumentations can only patch packages loaded after them.
 */
import { withDotEnv } from './config/env-files.js';
import { readTelemetrySettings } from './config/telemetry-settings.js';
import { markStartup } from './lifecycle/startup-timing.js';
import { startTracing } from './observability/tracing/start-tracing.js';

const env = withDotEnv(process.env, '.env');
const settings = readTelemetrySettings(env);
// Invalid settings are reported by main together with every other configuration problem, before it exits.
if (!('problems' in settings)) startTracing(settings, env);
markStartup('telemetry');
