import { phasesLine } from './cold-start.js';
import { answered, median, ratio } from './figures.js';
import type { LoadResult } from './load.js';
import { markdownTable, type Row } from './report.js';
import { speedHistory } from './speed-history.js';
import { isMet, scenarioRows, type TargetFigure, targetFigures } from './targets.js';
import type { VerifyRate } from './verify-rate.js';
import { whyMissed } from './why-missed.js';

export interface Findings {
  readonly date: string;
  /** process.version of the node binary every server of the run was started with. */
  readonly nodeVersion: string;
  /** The machine the run was measured on (the document may be rendered again elsewhere). */
  readonly machine: { cores: number; cpuModel: string; memoryGb: number };
  readonly settings: {
    seconds: number;
    connections: number;
    telemetry: string;
    sampleRatio: string;
    /** Distinct callers the authenticated scenarios are spread over, one per connection. */
    callers: number;
    /** The warm-up of a process's first scenario (every later one gets 2 s). */
    firstWarmUpSeconds: number;
  };
  /** The raw argon2id verify rate at the login scenario's concurrency, measured in this run. */
  readonly verifyRate: VerifyRate;
  readonly bareKoa: { start: number; end: number; mean: number };
  readonly rows: readonly Row[];
  readonly processes: { one: Row; two: Row } | undefined;
  readonly coldStartMs: readonly number[];
  /** Per start, the phases the service reported in its "listening" line (absent from runs before they existed). */
  readonly coldStartPhases?: readonly Readonly<Record<string, number>>[];
  /** The same starts without Node's compile cache, alternating with those (absent from earlier runs). */
  readonly coldStartUncachedMs?: readonly number[];
  readonly idle:
    | {
        count: number;
        held: number;
        stillOpen: number;
        errors: number;
        openMs: number;
        rssBefore: number;
        rssAfter: number;
        probeMs: number;
      }
    | undefined;
  /** Each variant beside a fresh process as configured, in alternating rounds. */
  readonly breakdown: readonly {
    change: string;
    scenario: string;
    server: string;
    rounds: readonly { reference: LoadResult; result: LoadResult }[];
  }[];
  /** Busy CPU of the service by part of the request path, one profile per scenario. */
  readonly cpu: readonly { scenario: string; parts: readonly { part: string; share: number }[] }[];
  /** Warnings and errors the services logged during the run, by message. */
  readonly logWarnings: readonly { level: string; msg: string; count: number }[];
  readonly durationSeconds: number;
}

/** One line of the targets table: the figure, the bound, and by how much a missed bound is missed. */
function targetLine(figure: TargetFigure) {
  const { label, measured, bound, kind, unit } = figure;
  const digits = unit === '×' || unit === 's' ? 2 : unit === '%' ? 0 : 1;
  const shown = (value: number) =>
    `${value.toFixed(digits)}${unit === '×' || unit === '%' ? '' : ' '}${unit}`;
  if (measured === undefined || Number.isNaN(measured)) return `| ${label} | not measured | **not met** |`;
  const gap = Math.abs(measured - bound);
  const miss =
    kind === 'min'
      ? `short by ${shown(gap)} (${((bound / measured - 1) * 100).toFixed(0)} % more needed)`
      : `over by ${shown(gap)} (${((1 - bound / measured) * 100).toFixed(0)} % less needed)`;
  return `| ${label} | ${shown(measured)} | ${isMet(figure) ? 'met' : `**not met**: ${miss}`} |`;
}

/** docs/performance.md: every figure comes from the run that wrote it. */
export function performanceDocument(f: Findings, chartFile: string): string {
  const base = f.bareKoa.mean;
  const { list } = scenarioRows(f);
  const out: string[] = [];
  out.push('# Performance', '');
  out.push(
    'Written by `npm run bench` (app/bench); every number below comes from one run on one machine. The machine is',
    'shared and noisy, so absolute figures move between runs: compare the ratios to bare Koa, which are measured',
    'in the same run (bare Koa is measured at the start and at the end; the ratio uses their mean).',
    '',
  );
  out.push(
    `- Run: ${f.date}, ${Math.round(f.durationSeconds)} s in total`,
    `- Machine: ${f.machine.cores} × ${f.machine.cpuModel}, ${f.machine.memoryGb.toFixed(1)} GB RAM, Node ${f.nodeVersion} (every process of the run); load generator (autocannon) in the same machine, on loopback`,
    `- Load: ${f.settings.connections} keep-alive connections, ${f.settings.seconds} s per scenario after a 2 s warm-up (${f.settings.firstWarmUpSeconds} s before a process's first: a new process's CPU per request takes that long to settle); authenticated scenarios spread over ${f.settings.callers} registered callers, one per connection, each with its own token and its own items`,
    `- Service: compiled (\`dist/\`), started with the image's serve command (\`--max-semi-space-size=32\`; the baselines get the same flag), staging tier with prod's tracing settings, PostgreSQL through PgBouncer (transaction mode), rate limits counted in Redis, read cache in Redis, JSON logs to a file, telemetry ${f.settings.telemetry === 'off' ? 'off' : `exporting spans over OTLP/HTTP to a receiver in the bench process (sample ratio ${f.settings.sampleRatio}, trace detail \`requests\`)`}`,
    `- Bare Koa health: ${Math.round(f.bareKoa.start)} req/s at the start, ${Math.round(f.bareKoa.end)} at the end`,
    '',
  );
  out.push(
    '## Throughput and latency',
    '',
    markdownTable(f.rows, base),
    '',
    "CPU µs/req is the answering process's own CPU time per request, from /proc (PgBouncer's, PostgreSQL's and",
    "Redis's are not in it): steadier than the rate on a shared machine, and the figure to compare for cost.",
    '',
    `![Throughput per scenario](${chartFile})`,
    '',
  );
  out.push('## Targets', '');
  const c = f.settings.connections;
  out.push(
    `Issue 16's targets, all from this run (${c} connections).`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targetFigures(f).map(targetLine),
    '',
  );
  out.push(...whyMissed(f, base));
  const floor = f.rows.find((row) => row.server.startsWith('service, no telemetry'));
  if (floor) {
    out.push(
      `The floor under the health figure: with no telemetry and every optional layer off, the service answers`,
      `health at ${ratio(floor, base).toFixed(2)}× bare Koa. That is Koa with the router over every API route, the error boundary`,
      'and the body checks; tracing, the request log line, metrics, the request id and the other layers come on',
      'top of it, each a few microseconds per request (their prices for the item read are below).',
      '',
    );
  }
  const { listDatabaseAlone: alone, listDataLayerAlone: dataLayer } = scenarioRows(f);
  if (list && alone) {
    out.push(
      '## The list of 20 against its database path',
      '',
      "The ceiling the database sets on this machine: node:http and a pg pool of the service's size, through the",
      'same PgBouncer, sending the statement the service sends, with no authentication, limits, logging or',
      `telemetry. It serves ${Math.round(alone.result.requestsPerSecond)} req/s (p99 ${alone.result.p99Ms.toFixed(1)} ms) where the service serves`,
      `${Math.round(list.result.requestsPerSecond)} (p99 ${list.result.p99Ms.toFixed(1)} ms): the service is ${(answered(list) / answered(alone)).toFixed(2)}× its own database path, and`,
      `that path is ${ratio(alone, base).toFixed(2)}× bare Koa, the most any list through this database can reach here.`,
      '',
    );
    if (dataLayer) {
      out.push(
        "Between the two, the service's own data layer alone (node:http, its Prisma client on the same adapter and",
        `pool, its item repository's list): ${Math.round(dataLayer.result.requestsPerSecond)} req/s (p99 ${dataLayer.result.p99Ms.toFixed(1)} ms), ${(answered(dataLayer) / answered(alone)).toFixed(2)}× the database path.`,
        `So the ORM keeps ${(answered(dataLayer) / answered(alone)).toFixed(2)}× of the database's rate and the HTTP layers keep ${(answered(list) / answered(dataLayer)).toFixed(2)}× of the ORM's.`,
        '',
      );
    }
  }
  const compressed = f.rows.filter(
    (row) => row.server === 'service' && row.scenario.startsWith('GET /items?limit=20'),
  );
  if (list && compressed.length > 1) {
    out.push(
      '## Compression (list of 20)',
      '',
      'The list of 20 asked without Accept-Encoding, then with gzip and with brotli (the service picks gzip 6 or',
      'brotli quality 4 above `COMPRESSION_THRESHOLD_BYTES`). Bytes are what the client read per response,',
      'status line and headers included.',
      '',
      '| Accept-Encoding | bytes per response | req/s | p99 ms | throughput vs none |',
      '|---|---:|---:|---:|---:|',
      ...compressed.map((row) => {
        const encoding = row.scenario.split(', ')[1] ?? 'none';
        const vsNone = row.result.requestsPerSecond / list.result.requestsPerSecond;
        return `| ${encoding} | ${Math.round(row.result.bytesPerResponse)} | ${Math.round(row.result.requestsPerSecond)} | ${row.result.p99Ms.toFixed(1)} | ${vsNone.toFixed(2)}× |`;
      }),
      '',
    );
  }
  out.push('## Start, idle connections, processes', '');
  const startsMs = (starts: readonly number[]) =>
    `median ${Math.round(median(starts))} ms (${starts.map((ms) => Math.round(ms)).join(', ')} ms)`;
  const uncached = f.coldStartUncachedMs;
  out.push(
    `- Cold start to ready (spawn → first 200 from \`/api/v1/health/ready\`, compiled, telemetry bootstrap included${uncached ? ', with the module compile cache the image carries' : ''}): ${startsMs(f.coldStartMs)}.`,
  );
  if (uncached && uncached.length > 0) {
    out.push(
      `  Without the compile cache, in starts alternating with those: ${startsMs(uncached)}; the cache takes ${(median(f.coldStartMs) / median(uncached)).toFixed(2)}× the time.`,
    );
  }
  const phases = phasesLine(f);
  if (phases) {
    out.push(
      `  Where the median start's time went, as the service reports it in its "listening" line (ms since its process started): ${phases}; the bench had its first 200 from readiness at ${Math.round(median(f.coldStartMs))} ms after spawning it.`,
    );
  }
  if (f.idle) {
    const i = f.idle;
    const growth = i.rssAfter - i.rssBefore;
    // The heap shrinks and grows with garbage collection: a drop means the connections cost less than GC freed.
    const perConnection =
      growth > 0
        ? `${((growth * 1024) / Math.max(i.held, 1)).toFixed(1)} KB per connection`
        : 'no measurable growth: garbage collection freed more than the connections took';
    out.push(
      `- ${i.count.toLocaleString('en')} idle keep-alive connections: ${i.held.toLocaleString('en')} opened (one request each) in ${(i.openMs / 1000).toFixed(1)} s, ${i.stillOpen.toLocaleString('en')} still open after holding, ${i.errors} errors; service RSS ${i.rssBefore.toFixed(0)} MB before, ${i.rssAfter.toFixed(0)} MB while holding them (${perConnection}); a request on a new connection meanwhile took ${i.probeMs.toFixed(1)} ms.`,
    );
  }
  if (f.processes) {
    const { one, two } = f.processes;
    out.push(
      `- One vs two service processes on ${f.machine.cores} cores (cached item read, connections split evenly): ${Math.round(one.result.requestsPerSecond)} → ${Math.round(two.result.requestsPerSecond)} req/s (${(two.result.requestsPerSecond / one.result.requestsPerSecond).toFixed(2)}×), p99 ${one.result.p99Ms.toFixed(1)} → ${two.result.p99Ms.toFixed(1)} ms. The load generator needs most of a core itself, so a second process mostly competes with it here; on a node with spare cores the replicas add up.`,
    );
  }
  out.push('');
  if (f.breakdown.length > 0) {
    const cpu = ({ cpuMicrosPerRequest }: LoadResult) => cpuMicrosPerRequest ?? Number.NaN;
    const rate = ({ requestsPerSecond }: LoadResult) => requestsPerSecond;
    const medianOf = (
      rounds: readonly { reference: LoadResult; result: LoadResult }[],
      of: (r: LoadResult) => number,
    ) => ({
      reference: median(rounds.map(({ reference }) => of(reference))),
      result: median(rounds.map(({ result }) => of(result))),
      ratios: rounds.map(({ reference, result }) => of(result) / of(reference)).sort((a, b) => a - b),
    });
    const times = (value: number) => `${value.toFixed(2)}×`;
    const roundCount = Math.max(...f.breakdown.map(({ rounds }) => rounds.length));
    out.push(
      '## Where the time goes (cached item read, unless named)',
      '',
      'The service started twice, as configured and with one thing changed, both fresh and warmed together,',
      `then measured in ${roundCount} alternating rounds, to see what each part costs. Each round's ratio is taken`,
      'against the round just before it, so drift of the machine hits both alike; the table gives the medians,',
      'and the range of the CPU ratios shows how far to trust them. A part left out is not a recommendation:',
      "it shows the price of what it buys. CPU µs/req is the service process's CPU time per request (from /proc).",
      '',
      '| change | req/s | CPU µs/req | as configured: req/s | CPU µs/req | rate ratio | CPU ratio (range) |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const { change, rounds } of f.breakdown) {
      const rates = medianOf(rounds, rate);
      const cpus = medianOf(rounds, cpu);
      out.push(
        `| ${change} | ${Math.round(rates.result)} | ${Math.round(cpus.result)} | ${Math.round(rates.reference)} | ${Math.round(cpus.reference)} | ${times(median(rates.ratios))} | ${times(median(cpus.ratios))} (${times(cpus.ratios[0] ?? Number.NaN)}–${times(cpus.ratios.at(-1) ?? Number.NaN)}) |`,
      );
    }
    out.push('');
  }
  if (f.cpu.length > 0) {
    // Rows in the order of the first profile's shares; a part absent from a profile took none of its time.
    const partNames = [...new Set(f.cpu.flatMap(({ parts }) => parts.map(({ part }) => part)))];
    const share = (profile: Findings['cpu'][number], part: string) =>
      profile.parts.find((entry) => entry.part === part)?.share ?? 0;
    const first = f.cpu[0]!;
    partNames.sort((a, b) => share(first, b) - share(first, a));
    out.push(
      '## CPU time by part (V8 CPU profiles)',
      '',
      "Busy time of the service's main thread during each scenario, charged to the innermost part of the request",
      'path on each sampled stack (idle time left out). One profiled process per scenario. V8 samples the thread',
      'whenever it is not idle, so a system call counts in full, including the time the thread waits for a core',
      'after its write woke another process on this 2-core machine: on the health answer, `perf` put the',
      "response's write at about 16 % of the process's CPU cycles where V8's profile put it at about a third.",
      'Read the Node HTTP row as an upper bound, and the others as a little low.',
      '',
      `| part | ${f.cpu.map(({ scenario }) => scenario).join(' | ')} |`,
      `|---|${f.cpu.map(() => '---:').join('|')}|`,
      ...partNames.map(
        (part) =>
          `| ${part} | ${f.cpu.map((profile) => `${(share(profile, part) * 100).toFixed(1)} %`).join(' | ')} |`,
      ),
      '',
    );
  }
  out.push('## Warnings logged during the run', '');
  if (f.logWarnings.length === 0) out.push('None.', '');
  else {
    out.push(
      'A loaded machine makes Redis answers miss their command timeout; the service then applies its fail-open',
      'policies (and says so in the log) instead of failing the request.',
      '',
      '| level | message | count |',
      '|---|---|---:|',
      ...f.logWarnings.map(({ level, msg, count }) => `| ${level} | ${msg} | ${count} |`),
      '',
    );
  }
  out.push(...speedHistory);
  out.push(
    '## Reproduce',
    '',
    '```sh',
    'npm run bench            # from the repository root; PostgreSQL, Redis and pgbouncer on this machine',
    'BENCH_SECONDS=20 BENCH_CONNECTIONS=200 npm run bench',
    'BENCH_TELEMETRY=off npm run bench     # the service without the telemetry bootstrap',
    'BENCH_TELEMETRY=compare npm run bench # item read with telemetry on and off, alternating',
    'BENCH_IDLE_CONNECTIONS=0 BENCH_BREAKDOWN=0 npm run bench',
    'BENCH_SECONDS=2 BENCH_IDLE_CONNECTIONS=0 BENCH_BREAKDOWN=0 npm run bench # checks the bench itself works',
    'BENCH_PROFILE_DIR=/tmp/profiles npm run bench # keeps the CPU profiles',
    'npm run bench:render     # this document again from docs/performance.json, without a run',
    '```',
    '',
  );
  return out.join('\n');
}
