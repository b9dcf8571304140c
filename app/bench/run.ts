/**
 * `npm run bench`: the service (compiled, staging tier: Redis rate limiter, JSON logs to a file) beside bare
 * Koa and bare node:http, all measured in this run on this machine, reported as ratios to bare Koa.
 * Timings are only ever printed here, never asserted in tests.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeySet } from '../src/modules/auth/dev-keys.js';
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

console.log('building the service (tsc)...');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: appDir, stdio: 'inherit' });
const database = await createTestDatabase();
const keys = await generateSigningKeySet('bench');
const tsx = ['--import', 'tsx'];
const servers: Server[] = [];
try {
  const http = await startServer('node:http', [...tsx, 'bench/servers/bare-http.ts'], {});
  const koa = await startServer('bare Koa', [...tsx, 'bench/servers/bare-koa.ts'], {});
  const service = await startServer(
    'service',
    ['dist/main.js'],
    {
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
    },
    logFile,
  );
  servers.push(http, koa, service);
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
  console.log(`\nservice logs: ${logFile}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await database.drop();
}
