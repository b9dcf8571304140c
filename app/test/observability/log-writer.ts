// A process that logs through the service's logger as configured outside local (batched JSON lines on stdout):
// one line, then it idles for LOG_TEST_IDLE_MS or exits at once with process.exit when that is 0.
import { createLogger } from '../../src/observability/logger.js';

const log = createLogger({ log: { level: 'info', format: 'json' }, tier: 'prod', version: 'test' });
log.info({ marker: process.env.LOG_TEST_MARKER }, 'one line');
const idleMs = Number(process.env.LOG_TEST_IDLE_MS);
if (idleMs === 0) process.exit(3);
setTimeout(() => undefined, idleMs);
