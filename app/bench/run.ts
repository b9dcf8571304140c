/**
 * `npm run bench`: the service (compiled, staging tier: Redis rate limiter, JSON logs to a file) beside bare
 * Koa and bare node:http, all measured in this run on this machine, reported as ratios to bare Koa.
 * Timings are only ever printed here, never asserted in tests.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../test/support/databases.js';
import { drive, type LoadResult } from './load.js';
import { type Server, startServer } from './processes.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const livePath = '/api/v1/health/live';

console.log('building the service (tsc)...');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: appDir, stdio: 'inherit' });
const database = await createTestDatabase();
const tsx = ['--import', 'tsx'];
const servers: Server[] = [];
try {
  servers.push(await startServer('node:http', [...tsx, 'bench/servers/bare-http.ts'], {}));
  servers.push(await startServer('bare Koa', [...tsx, 'bench/servers/bare-koa.ts'], {}));
  servers.push(
    await startServer(
      'service pipeline',
      ['dist/main.js'],
      {
        APP_ENV: 'staging',
        APP_VERSION: 'bench',
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        RATE_LIMIT_MAX: '1000000', // counted on every request, never reached
        REDIS_KEY_PREFIX: `bench:${process.pid}`,
        LOG_LEVEL: 'info',
        ALLOWED_HOSTS: '127.0.0.1',
        CORS_ORIGINS: 'https://app.example.com',
      },
      '/tmp/platform-api-bench.log',
    ),
  );

  const results = new Map<string, LoadResult>();
  for (const server of servers) {
    process.stdout.write(`  ${server.name}: warming up, then ${seconds} s at ${connections} connections...`);
    await drive({ url: `${server.url}${livePath}`, connections, seconds: 2 });
    const result = await drive({ url: `${server.url}${livePath}`, connections, seconds });
    results.set(server.name, result);
    process.stdout.write(` ${Math.round(result.requestsPerSecond)} req/s\n`);
  }
  printTable(`GET ${livePath}`, results);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await database.drop();
}

function printTable(title: string, results: Map<string, LoadResult>) {
  const baseline = results.get('bare Koa')?.requestsPerSecond ?? Number.NaN;
  const rows = [...results].map(([name, r]) => [
    name,
    Math.round(r.requestsPerSecond).toString(),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.errors + r.non2xx),
    `${(r.requestsPerSecond / baseline).toFixed(2)}x`,
  ]);
  const header = ['server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs bare Koa'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(`\n${title} (${connections} connections, ${seconds} s each, loopback)`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
