/**
 * `npm run bench`: the report run. Bare node:http, bare Koa and the service (compiled, staging tier, PostgreSQL
 * through PgBouncer, Redis rate limits and read cache, JSON logs to a file, telemetry exporting to an OTLP
 * receiver in this process), all measured in this run on this machine, reported as ratios to bare Koa. Also
 * cold start, idle keep-alive connections, one vs two processes, and what each costly part of the item read
 * costs. Prints the table and writes docs/performance.md with an SVG chart. Timings are only ever reported
 * here, never asserted in tests.
 *
 * Authenticated scenarios spread over as many callers as connections (each connection its own token and its
 * own item), so neither the read cache nor request coalescing can fold the callers into one.
 *
 * BENCH_SECONDS (10), BENCH_CONNECTIONS (100), BENCH_USERS (registered callers, one per connection by default),
 * BENCH_IDLE_CONNECTIONS (10000, 0 skips), BENCH_BREAKDOWN (1),
 * BENCH_TELEMETRY: on (default) | off | compare (item read with telemetry on and off, alternating
 * BENCH_TELEMETRY_ROUNDS times, default 2); BENCH_SAMPLE_RATIO overrides prod's trace sampling (0.05).
 * Checking the bench itself: BENCH_SECONDS=2 BENCH_IDLE_CONNECTIONS=0 BENCH_BREAKDOWN=0 npm run bench.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envSchema, layerNames } from '../src/config/schema.js';
import { defaultSampleRatio } from '../src/config/telemetry-settings.js';
import { generateSigningKeySet } from '../src/modules/auth/dev-keys.js';
import { startOtlpReceiver } from '../test/observability/otlp-receiver.js';
import { createTestDatabase } from '../test/support/databases.js';
import { startPgBouncer } from '../test/support/pgbouncer.js';
import { analyzeAsAutovacuumWould } from './analyze.js';
import { coldStartsWithAndWithoutCache } from './compile-cache.js';
import type { Findings } from './document.js';
import { holdIdleConnections } from './idle-connections.js';
import { drive, driveAll, type LoadResult, type Target } from './load.js';
import { logWarnings } from './log-warnings.js';
import { type Server, startServer } from './processes.js';
import { costBreakdown } from './profile.js';
import { progress } from './progress.js';
import { printTable, type Row } from './report.js';
import { seedCallers } from './seed.js';
import { measureVerifyRate } from './verify-rate.js';
import { writeReport } from './write-report.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const docsDir = fileURLToPath(new URL('../../docs/', import.meta.url));
const env = process.env;
const seconds = Number(env.BENCH_SECONDS ?? 10);
const connections = Number(env.BENCH_CONNECTIONS ?? 100);
const idleCount = Number(env.BENCH_IDLE_CONNECTIONS ?? 10_000);
// One caller per connection; with fewer, connections share callers (cycled).
const callerCount = Number(env.BENCH_USERS ?? connections);
const breakdown = env.BENCH_BREAKDOWN !== '0';
const keptProfiles = env.BENCH_PROFILE_DIR;
const breakdownRounds = Number(env.BENCH_BREAKDOWN_ROUNDS ?? 3);
const breakdownSeconds = Math.max(2, Math.round(seconds / 2));
const telemetry = env.BENCH_TELEMETRY === '1' ? 'compare' : (env.BENCH_TELEMETRY ?? 'on');
// The staging tier (prod refuses the bench's throwaway credentials) with prod's tracing: its sample ratio, and
// the trace detail both tiers share by default.
const sampleRatio = env.BENCH_SAMPLE_RATIO ?? String(defaultSampleRatio.prod);
const telemetryRounds = Number(env.BENCH_TELEMETRY_ROUNDS ?? 2);
const redisUrl = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logFile = join(tmpdir(), 'platform-api-bench.log');
// Every service process runs on this same binary (process.execPath).
const nodeVersion = process.version;
const started = performance.now();
const step = progress(started);

step('building the service (tsc)');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: appDir, stdio: 'inherit' });
writeFileSync(logFile, '');
const database = await createTestDatabase();
const bouncer = await startPgBouncer({ poolSize: 10 });
const keys = await generateSigningKeySet('bench');
const receiver = telemetry === 'off' ? undefined : await startOtlpReceiver({ decode: false });
const servers: Server[] = [];
const tsx = ['--import', 'tsx'];

const serviceEnv: Record<string, string> = {
  APP_ENV: 'staging',
  APP_VERSION: 'bench',
  DATABASE_URL: bouncer.urlFor(database.url),
  REDIS_URL: redisUrl,
  JWT_SIGNING_KEYS: JSON.stringify(keys.keys),
  FIELD_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
  // Counted on every request, never reached: the cost of limiting is measured, not its refusals.
  RATE_LIMIT_MAX: '1000000',
  RATE_LIMIT_AUTH_MAX: '1000000',
  // Sixteen accounts log in about a hundred times a second: the per-account hourly ceiling (100) would answer
  // 429 within a run on a faster machine. It is still counted on every login.
  LOGIN_ACCOUNT_CEILING: '100000',
  // The callers are registered from one address, many more than a client may register in earnest.
  REGISTRATION_MAX_PER_CLIENT: '1000000',
  // The callers' tokens are minted once, at the start: they must outlive the run (about 16 minutes), or the
  // last scenarios measure 401s. The default 15 minutes ran out under the CPU profiles once.
  ACCESS_TOKEN_TTL_SECONDS: String(2 * 60 * 60),
  REDIS_KEY_PREFIX: `bench:${process.pid}`,
  LOG_LEVEL: 'info',
  ALLOWED_HOSTS: '127.0.0.1',
  CORS_ORIGINS: 'https://app.example.com',
  ...(receiver ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, TRACES_SAMPLE_RATIO: sampleRatio } : {}),
};
// The service starts as the image starts it (service.commands.serve in charts/src/contract.ts), the telemetry
// bootstrap aside when a variant leaves it out; the baselines get the same V8 flag, so it favours no one.
const nodeFlags = ['--max-semi-space-size=32'];
const serviceArgs = (withTelemetry: boolean) => [
  ...nodeFlags,
  ...(withTelemetry ? ['--import', './dist/telemetry.js'] : []),
  'dist/main.js',
];
const startService = async (name: string, extra: Record<string, string> = {}, withTelemetry = !!receiver) => {
  const server = await startServer(name, serviceArgs(withTelemetry), { ...serviceEnv, ...extra }, logFile);
  servers.push(server);
  return server;
};
const stopServer = async (server: Server) => {
  await server.stop();
  servers.splice(servers.indexOf(server), 1);
};

// A process new to load runs with a cold JIT and an unsized heap for a while: measured here, a fresh service
// took 12 to 18 s of load (about 60,000 cached reads) before its CPU per request settled, 256 → 164 µs. So a
// process's first scenario gets this long a warm-up, every later one 2 s (its own path's code).
const firstWarmUpSeconds = Number(env.BENCH_FIRST_WARMUP_SECONDS ?? 15);
const warmed = new Set<Server>();
const measure = async (
  label: string,
  target: Target,
  count = connections,
  { length = seconds, warmUpAgain = true } = {},
): Promise<LoadResult> => {
  // The process that answers: its CPU per request is steadier than its rate on a machine shared with others.
  const server = servers.find((candidate) => target.url.startsWith(`${candidate.url}/`));
  const warmUp = server && !warmed.has(server) ? firstWarmUpSeconds : warmUpAgain ? 2 : 0;
  if (server) warmed.add(server);
  step(`${label}: ${warmUp} s warm-up, then ${length} s at ${count} connections`);
  if (warmUp > 0) await drive(target, count, warmUp);
  const cpuBefore = server?.cpuMicros() ?? Number.NaN;
  const measured = await drive(target, count, length);
  const cpuMicrosPerRequest =
    ((server?.cpuMicros() ?? Number.NaN) - cpuBefore) / Math.max(measured.requests, 1);
  const result = { ...measured, cpuMicrosPerRequest };
  step.done(
    `${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms.toFixed(1)} ms, ${Math.round(cpuMicrosPerRequest)} µs CPU per request`,
  );
  return result;
};

try {
  step('starting node:http, bare Koa, PgBouncer and the service');
  const http = await startServer('node:http', [...nodeFlags, ...tsx, 'bench/servers/bare-http.ts'], {});
  const koa = await startServer('bare Koa', [...nodeFlags, ...tsx, 'bench/servers/bare-koa.ts'], {});
  servers.push(http, koa);
  const service = await startService('service');
  step(`seeding ${callerCount} callers with 20 items each (one caller per connection)`);
  const callers = await seedCallers(service.url, callerCount, 20);
  const caller = callers[0]!;
  const asEachCaller = (path: (c: (typeof callers)[number]) => string): Target['perConnection'] =>
    callers.map((c) => ({ path: path(c), headers: { authorization: `Bearer ${c.accessToken}` } }));
  // Callers beyond the connection count are never used: the distinct callers a scenario sees.
  const distinctCallers = Math.min(callers.length, connections);
  const { autovacuum } = await analyzeAsAutovacuumWould(database.url);
  step.done(`${callers.length} callers; tables analyzed (the server's autovacuum is ${autovacuum})`);
  // Each connection reads its own caller's item (an item is read by its owner only).
  const item: Target = {
    url: `${service.url}/api/v1/items/${caller.itemIds[0]}`,
    perConnection: asEachCaller((c) => `/api/v1/items/${c.itemIds[0]}`),
  };

  const rows: Row[] = [];
  const row = (scenario: string, server: Server, result: LoadResult) => {
    const measured = { scenario, server: server.name, result, rssMb: server.rssMb() };
    rows.push(measured);
    return measured;
  };
  const live = '/api/v1/health/live';
  row('GET /health/live', http, await measure('node:http, health', { url: `${http.url}${live}` }));
  const koaStart = await measure('bare Koa, health', { url: `${koa.url}${live}` });
  row('GET /health/live', koa, koaStart);
  row('GET /health/live', service, await measure('service, health', { url: `${service.url}${live}` }));
  // The floor under the health figure: Koa, the router with every API route, the error boundary and body
  // checks, with no telemetry and every optional layer left out.
  const floor = await startService(
    'service, no telemetry, optional layers off',
    { HTTP_LAYERS_DISABLED: layerNames.filter((name) => name !== 'contentValidation').join(',') },
    false,
  );
  row('GET /health/live', floor, await measure('service floor, health', { url: `${floor.url}${live}` }));
  await stopServer(floor);
  const itemRow = row('GET /items/{id} (cached)', service, await measure('service, cached item read', item));
  const list = (encoding?: string): Target => ({
    url: `${service.url}/api/v1/items?limit=20`,
    perConnection: asEachCaller(() => '/api/v1/items?limit=20'),
    ...(encoding ? { headers: { 'accept-encoding': encoding } } : {}),
  });
  row('GET /items?limit=20 (PgBouncer)', service, await measure('service, list of 20 items', list()));
  // The ceiling the database path sets on this machine: the same statement through the same PgBouncer, with
  // nothing else around it; then the same list through the service's own Prisma client and repository, with
  // nothing else around them. The gaps between the three rows are the ORM's share and the layers' share.
  // A baseline server (bench/servers) beside the service, on the database the service uses, for one scenario.
  const baselineRow = async (
    scenario: string,
    name: string,
    script: string,
    label: string,
    target: (base: string) => Target,
  ) => {
    const baseline = await startServer(name, [...nodeFlags, ...tsx, script], {
      DATABASE_URL: serviceEnv.DATABASE_URL!,
      POOL_MAX: String(envSchema.shape.DATABASE_POOL_MAX.parse(undefined)),
    });
    servers.push(baseline);
    row(scenario, baseline, await measure(label, target(baseline.url)));
    await stopServer(baseline);
  };
  const listBaselines = [
    ['node:http + pg (database alone)', 'bench/servers/bare-pg-list.ts', 'database alone'],
    ['node:http + Prisma (data layer alone)', 'bench/servers/bare-prisma-list.ts', 'data layer alone'],
  ] as const;
  for (const [name, script, label] of listBaselines) {
    await baselineRow(
      'GET /items?limit=20 (PgBouncer)',
      name,
      script,
      `${label}, list of 20 items`,
      (base) => ({
        url: `${base}/items`,
        perConnection: callers.map((c) => ({ path: `/items?owner=${c.userId}` })),
      }),
    );
  }
  // The same list asked for compressed, as browsers and most HTTP clients ask: what the bytes saved cost.
  for (const encoding of ['gzip', 'br']) {
    row(
      `GET /items?limit=20, ${encoding}`,
      service,
      await measure(`service, list of 20 items, ${encoding}`, list(encoding)),
    );
  }
  const newItem = JSON.stringify({ title: 'created under load', description: 'bench' });
  row(
    'POST /items',
    service,
    await measure('service, create item', {
      url: `${service.url}/api/v1/items`,
      method: 'POST',
      perConnection: asEachCaller(() => '/api/v1/items'),
      body: newItem,
    }),
  );
  // The ceiling the database sets on a create here: the service's statement alone, through the same PgBouncer.
  await baselineRow(
    'POST /items',
    'node:http + pg (database alone)',
    'bench/servers/bare-pg-create.ts',
    'database alone, create item',
    (base) => ({
      url: `${base}/items`,
      method: 'POST',
      perConnection: callers.map((c) => ({ path: `/items?owner=${c.userId}` })),
      body: newItem,
    }),
  );
  // The POST scenarios added tens of thousands of items: statistics as a cluster's autovacuum would have them.
  await analyzeAsAutovacuumWould(database.url);
  // An uncached database read per request: every caller its own row, the read cache off.
  const usersMe = (base: string): Target => ({
    url: `${base}/api/v1/users/me`,
    perConnection: asEachCaller(() => '/api/v1/users/me'),
  });
  const uncached = await startService('service, read cache off', { CACHE_ENABLED: 'false' });
  row(
    `GET /users/me (${distinctCallers} users, cache off)`,
    uncached,
    await measure('service, users/me, read cache off', usersMe(uncached.url)),
  );
  await stopServer(uncached);
  // A password hash costs tens of milliseconds of CPU by design: fewer callers, or every one times out.
  const loginConnections = Math.min(connections, 16);
  row(
    `POST /auth/token (login, ${loginConnections} conns)`,
    service,
    await measure(
      'service, login (argon2id verify)',
      {
        url: `${service.url}/api/v1/auth/token`,
        method: 'POST',
        // Each connection its own account: attempts in flight count against the account's failure budget
        // until they succeed, so sixteen at once on one account would be throttled as a guessing attack.
        perConnection: callers.map(({ email, password }) => ({ body: JSON.stringify({ email, password }) })),
      },
      loginConnections,
    ),
  );
  step(`raw argon2id verify rate: ${loginConnections} in flight for ${seconds} s, in its own process`);
  const verifyRate = await measureVerifyRate(loginConnections, seconds);
  step.done(`${Math.round(verifyRate.verifiesPerSecond)} verifications/s`);
  const koaEnd = await measure('bare Koa, health again (drift check)', { url: `${koa.url}${live}` });
  const bareKoa = (koaStart.requestsPerSecond + koaEnd.requestsPerSecond) / 2;

  step('starting a second service process');
  const second = await startService('service #2');
  const both = await (async () => {
    step(`two processes, cached item read: ${seconds} s at ${connections} connections split over both`);
    const targets = [item, { ...item, url: item.url.replace(service.url, second.url) }];
    await driveAll(targets, connections, 2);
    const result = await driveAll(targets, connections, seconds);
    step.done(`${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms.toFixed(1)} ms`);
    return result;
  })();
  await stopServer(second);
  const processes = {
    one: itemRow,
    two: { scenario: 'GET /items/{id} (cached)', server: 'service ×2', result: both },
  };

  const starts = await coldStartsWithAndWithoutCache(
    appDir,
    { args: serviceArgs(!!receiver), env: serviceEnv, readyPath: '/api/v1/health/ready' },
    step,
  );

  let idle: Findings['idle'];
  if (idleCount > 0) {
    // A fresh instance: its memory before is the baseline, not what earlier load scenarios left in the heap.
    step(`opening ${idleCount} keep-alive connections to a fresh instance and holding them idle`);
    const fresh = await startService('service, idle connections');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssBefore = fresh.rssMb();
    const held = await holdIdleConnections(fresh.url, live, idleCount);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rssAfter = fresh.rssMb();
    const probeStart = performance.now();
    const probe = await fetch(`${fresh.url}${live}`);
    const probeMs = performance.now() - probeStart;
    const stillOpen = held.stillOpen();
    held.release();
    await stopServer(fresh);
    const { held: count, errors, openMs } = held.result();
    idle = {
      count: idleCount,
      held: count,
      stillOpen,
      errors: errors + (probe.ok ? 0 : 1),
      openMs,
      rssBefore,
      rssAfter,
      probeMs,
    };
    step.done(
      `${count} held, ${stillOpen} still open, ${errors} errors, RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB`,
    );
  }

  const costs: Findings['breakdown'][number][] = [];
  if (breakdown) {
    // Each on the cached item read, unless it names the list of 20 (where what it changes weighs more).
    const variants: [string, Record<string, string>, boolean, onList?: boolean][] = [
      ['no rate limit (Redis round trip per request)', { HTTP_LAYERS_DISABLED: 'rateLimit' }, !!receiver],
      ['no request log line', { HTTP_LAYERS_DISABLED: 'requestLog' }, !!receiver],
      ['no request metrics', { HTTP_LAYERS_DISABLED: 'requestMetrics' }, !!receiver],
      ['read cache off (PostgreSQL through PgBouncer)', { CACHE_ENABLED: 'false' }, !!receiver],
      [
        'list of 20: JSON serialized by Koa, twice (jsonOnce off)',
        { HTTP_LAYERS_DISABLED: 'jsonOnce' },
        !!receiver,
        true,
      ],
    ];
    // Switches that trade speed for something else, each tried at its other settings, when this version of the
    // service has it: a switch missing from the configuration schema is named as skipped, not silently left out.
    const switches: [name: string, values: string[], tracing: boolean][] = [
      ['RATE_LIMIT_SYNC', ['batched', 'per-request'], false],
      ['TRACES_SERVER_SPANS', ['middleware', 'instrumentation'], true],
    ];
    for (const [name, values, tracing] of switches) {
      if (!(name in envSchema.shape))
        console.log(`  breakdown: ${name} skipped, not in the configuration schema`);
      else if (tracing && !receiver) console.log(`  breakdown: ${name} skipped, telemetry is off`);
      else for (const value of values) variants.push([`${name}=${value}`, { [name]: value }, !!receiver]);
    }
    if (receiver) {
      variants.push(
        ['TRACES_DETAIL=full (Koa route and Redis command spans)', { TRACES_DETAIL: 'full' }, true],
        ['telemetry off (no tracing bootstrap)', {}, false],
      );
    }
    for (const [change, extra, withTelemetry, onList] of variants) {
      step(`variant: ${change}`);
      // Against a fresh process as configured, not the long-running one: a process minutes into its life has
      // a tuned JIT and heap that a new one lacks (measured: up to 1.7× less CPU per request), which would
      // charge the variant for being new. Both start now and get the same warm-up.
      const fresh = await startService('service, as configured (fresh process)');
      const variant = await startService(`service, ${change}`, extra, withTelemetry);
      const [scenario, target] = onList
        ? (['GET /items?limit=20 (PgBouncer)', list()] as const)
        : (['GET /items/{id} (cached)', item] as const);
      const on = (server: Server): Target => ({
        ...target,
        url: target.url.replace(service.url, server.url),
      });
      // Both warmed at once, each on half the connections, so neither is measured cold.
      await driveAll([on(fresh), on(variant)], connections, firstWarmUpSeconds);
      warmed.add(fresh).add(variant);
      // Alternating short rounds, each pair's ratio taken on its own: one pair of long rounds, measured here,
      // swung by ±30 % in CPU per request as neighbours came and went; the median of the pairs does not.
      const rounds: { reference: LoadResult; result: LoadResult }[] = [];
      for (let round = 1; round <= breakdownRounds; round += 1) {
        const options = { length: breakdownSeconds, warmUpAgain: false };
        const reference = await measure(`  as configured (${round})`, on(fresh), connections, options);
        const result = await measure(`  ${change} (${round})`, on(variant), connections, options);
        rounds.push({ reference, result });
      }
      await stopServer(fresh);
      costs.push({ change, scenario, server: variant.name, rounds });
      await stopServer(variant);
    }
  }

  // Where each kind of request spends its CPU: a read answered from the cache, an uncached read, and the list.
  const profiled: [scenario: string, extra: Record<string, string>, target: (base: string) => Target][] = [
    ['cached item read', {}, (base) => ({ ...item, url: item.url.replace(service.url, base) })],
    ['users/me, read cache off', { CACHE_ENABLED: 'false' }, usersMe],
    ['list of 20', {}, (base) => ({ ...list(), url: list().url.replace(service.url, base) })],
  ];
  const cpu: Findings['cpu'][number][] = [];
  for (const [scenario, extra, target] of profiled) {
    step(`CPU profile of the service during the ${scenario}`);
    const profileDir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
    const server = await startServer(
      `service, profiled, ${scenario}`,
      ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...serviceArgs(!!receiver)],
      { ...serviceEnv, ...extra },
      logFile,
    );
    servers.push(server);
    await measure(`  profiled ${scenario}`, target(server.url));
    await stopServer(server);
    cpu.push({ scenario, parts: costBreakdown(profileDir, seconds * 1000) });
    // Kept on request, for a closer look in Chrome DevTools or any .cpuprofile viewer.
    if (keptProfiles)
      cpSync(profileDir, join(keptProfiles, scenario.replace(/\W+/g, '-')), { recursive: true });
    rmSync(profileDir, { recursive: true, force: true });
  }

  if (telemetry === 'compare' && receiver) {
    const untraced = await startService('service, telemetry off', {}, false);
    for (let round = 1; round <= telemetryRounds; round += 1) {
      const off = await measure(`item read, telemetry off (${round})`, {
        ...item,
        url: item.url.replace(service.url, untraced.url),
      });
      const on = await measure(`item read, telemetry on (${round})`, item);
      console.log(
        `  telemetry on / off, round ${round}: ${(on.requestsPerSecond / off.requestsPerSecond).toFixed(2)}x`,
      );
    }
    console.log(`  ${(receiver.bytesReceived() / 1e6).toFixed(1)} MB of spans received`);
  }

  printTable([...rows, processes.two], bareKoa, `Node ${nodeVersion}, ${distinctCallers} callers`);
  const findings: Findings = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nodeVersion,
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown CPU',
      memoryGb: totalmem() / 2 ** 30,
    },
    settings: { seconds, connections, telemetry, sampleRatio, callers: distinctCallers, firstWarmUpSeconds },
    verifyRate,
    bareKoa: { start: koaStart.requestsPerSecond, end: koaEnd.requestsPerSecond, mean: bareKoa },
    rows: [...rows, processes.two],
    processes,
    coldStartMs: starts.cachedMs,
    coldStartPhases: starts.phases,
    coldStartUncachedMs: starts.uncachedMs,
    idle,
    breakdown: costs,
    cpu,
    logWarnings: await logWarnings(logFile),
    durationSeconds: (performance.now() - started) / 1000,
  };
  writeReport(findings, docsDir);
  console.log(`\nwrote docs/performance.{md,svg,json}; service logs: ${logFile}`);
  console.log(`total ${Math.round(findings.durationSeconds)} s`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await receiver?.close();
  bouncer.stop();
  await database.drop();
}
