/**
 * `npm run bench`: the service (compiled, staging tier: Redis rate limiter, JSON logs to a file) beside bare
 * Koa and bare node:http, all measured in this run on this machine, reported as ratios to bare Koa.
 * Timings are only ever printed here, never asserted in tests.
 *
 * BENCH_TELEMETRY=1 adds the service started with the telemetry bootstrap, exporting every span
 * (BENCH_SAMPLE_RATIO, default 1) to an OTLP receiver in this process, and reports the authenticated item read
 * with telemetry on against off, alternating the two BENCH_TELEMETRY_ROUNDS times (default 2).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeySet } from '../src/modules/auth/dev-keys.js';
import { startOtlpReceiver } from '../test/observability/otlp-receiver.js';
import { createTestDatabase } from '../test/support/databases.js';
import { drive, type LoadResult } from './load.js';
import { type Server, startServer } from './processes.js';
import { printTable } from './report.js';
import { seedCaller } from './seed.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logFile = join(tmpdir(), 'platform-api-bench.log');
const withTelemetry = process.env.BENCH_TELEMETRY === '1';
const sampleRatio = process.env.BENCH_SAMPLE_RATIO ?? '1';
const telemetryRounds = Number(process.env.BENCH_TELEMETRY_ROUNDS ?? 2);

console.log('building the service (tsc)...');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: appDir, stdio: 'inherit' });
const database = await createTestDatabase();
const keys = await generateSigningKeySet('bench');
const tsx = ['--import', 'tsx'];
const servers: Server[] = [];
const receiver = withTelemetry ? await startOtlpReceiver({ decode: false }) : undefined;
try {
  const http = await startServer('node:http', [...tsx, 'bench/servers/bare-http.ts'], {});
  const koa = await startServer('bare Koa', [...tsx, 'bench/servers/bare-koa.ts'], {});
  const serviceEnv = {
    APP_ENV: 'staging',
    APP_VERSION: 'bench',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    JWT_SIGNING_KEYS: JSON.stringify(keys.keys),
    FIELD_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
    RATE_LIMIT_MAX: '1000000', // counted on every request, never reached
    REDIS_KEY_PREFIX: `bench:${process.pid}`,
    LOG_LEVEL: 'info',
    ALLOWED_HOSTS: '127.0.0.1',
    CORS_ORIGINS: 'https://app.example.com',
  };
  const service = await startServer('service', ['dist/main.js'], serviceEnv, logFile);
  servers.push(http, koa, service);
  const traced = receiver
    ? await startServer(
        'service + telemetry',
        ['--import', './dist/telemetry.js', 'dist/main.js'],
        { ...serviceEnv, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, TRACES_SAMPLE_RATIO: sampleRatio },
        logFile,
      )
    : undefined;
  if (traced) servers.push(traced);
  const caller = await seedCaller(service.url);

  const run = async (label: string, url: string, headers?: Record<string, string>) => {
    process.stdout.write(`  ${label}: warming up, then ${seconds} s at ${connections} connections...`);
    await drive({ url, connections, seconds: 2, headers });
    const result = await drive({ url, connections, seconds, headers });
    process.stdout.write(` ${Math.round(result.requestsPerSecond)} req/s\n`);
    return result;
  };

  const live = '/api/v1/health/live';
  const liveResults = new Map<string, LoadResult>([
    ['node:http', await run('node:http', `${http.url}${live}`)],
    ['bare Koa', await run('bare Koa', `${koa.url}${live}`)],
    ['service pipeline', await run('service pipeline', `${service.url}${live}`)],
  ]);
  const itemPath = `/api/v1/items/${caller.itemId}`;
  const item = await run('service, authenticated item read', `${service.url}${itemPath}`, {
    authorization: `Bearer ${caller.accessToken}`,
  });

  printTable(`GET ${live}`, liveResults, { connections, seconds });
  printTable(
    `GET /api/v1/items/{id} (authenticated: JWT verify, revocation check, rate limit in Redis, Postgres read)`,
    new Map([
      ['bare Koa (health)', liveResults.get('bare Koa')!],
      ['service item read', item],
    ]),
    { connections, seconds },
  );
  if (traced && receiver) {
    const auth = { authorization: `Bearer ${caller.accessToken}` };
    const table = new Map([['bare Koa (health)', liveResults.get('bare Koa')!]]);
    const ratios: number[] = [];
    for (let round = 1; round <= telemetryRounds; round += 1) {
      const off = await run(`item read, telemetry off (${round})`, `${service.url}${itemPath}`, auth);
      const on = await run(`item read, telemetry on (${round})`, `${traced.url}${itemPath}`, auth);
      table.set(`telemetry off, round ${round}`, off);
      table.set(`telemetry on, round ${round}`, on);
      ratios.push(on.requestsPerSecond / off.requestsPerSecond);
    }
    printTable(
      `GET /api/v1/items/{id}, telemetry off and on (sample ratio ${sampleRatio}, OTLP/protobuf to a receiver here)`,
      table,
      { connections, seconds },
    );
    console.log(
      `telemetry on / off, req/s: ${ratios.map((ratio) => `${ratio.toFixed(2)}x`).join(', ')} ` +
        `(${(receiver.bytesReceived() / 1e6).toFixed(1)} MB of spans received)`,
    );
  }
  console.log(`\nservice logs: ${logFile}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await receiver?.close();
  await database.drop();
}
