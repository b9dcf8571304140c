import { loadingShare } from './cold-start.js';
import type { Findings } from './document.js';
import { answered, ratio } from './figures.js';
import { isMet, scenarioRows, type Topic, targetFigures } from './targets.js';

// Parts of a profile that any Koa service on Node pays, bare Koa included: what is left is the service's own.
const shared = new Set([
  'HTTP server and sockets (Node)',
  'Koa and its middleware',
  'garbage collection',
  'other (Node internals)',
]);
const percent = (share: number) => `${(share * 100).toFixed(0)} %`;

/** Where a profile's busy CPU went: the shared parts' share, and the service's own largest part. */
function profileSummary(f: Findings, scenario: string) {
  const parts = f.cpu.find((profile) => profile.scenario === scenario)?.parts;
  if (!parts) return undefined;
  const sharedShare = parts.filter(({ part }) => shared.has(part)).reduce((sum, { share }) => sum + share, 0);
  const largest = parts.find(({ part }) => !shared.has(part));
  const database = parts.find(({ part }) => part.startsWith('database'))?.share ?? 0;
  return { sharedShare, largest, database };
}

/**
 * One line per missed target, saying why from this run's own figures (the baselines, the profiles), so a
 * reader can tell a cost the service could still cut from a ceiling this machine sets.
 */
export function whyMissed(f: Findings, base: number): string[] {
  const rows = scenarioRows(f);
  const { item, list, listDatabaseAlone: alone, listDataLayerAlone: dataLayer, create } = rows;
  const createAlone = rows.createDatabaseAlone;
  const missed = (...topics: Topic[]) =>
    targetFigures(f).some((figure) => topics.includes(figure.topic) && !isMet(figure));
  const lines: string[] = [];

  const cached = profileSummary(f, 'cached item read');
  if (missed('health', 'item')) {
    const own = cached?.largest
      ? ` The service's own largest part is ${cached.largest.part} at ${percent(cached.largest.share)}; the rest is spread over parts of a few per cent each.`
      : '';
    lines.push(
      `- **Health and the cached read**: no single layer is the gap (each costs a few per cent; the floor, below, is what is left with all of them off).` +
        (cached
          ? ` In the cached read's profile, Node's HTTP server, Koa and garbage collection, which bare Koa pays too, take ${percent(cached.sharedShare)} of the busy CPU.${own}`
          : ''),
    );
  }
  const uncached = profileSummary(f, 'users/me, read cache off');
  if (missed('me')) {
    lines.push(
      `- **users/me with the read cache off**: every request waits for a PostgreSQL round trip through PgBouncer, which bare Koa never makes; the same service answers a cached read at ${ratio(item, base).toFixed(2)}×.` +
        (uncached ? ` The database client takes ${percent(uncached.database)} of its busy CPU.` : ''),
    );
  }
  if (list && alone && missed('list')) {
    lines.push(
      `- **List of 20**: the database path alone (node:http and pg, nothing else) reaches ${ratio(alone, base).toFixed(2)}× bare Koa with p99 ${alone.result.p99Ms.toFixed(0)} ms here, ${ratio(alone, base) < 0.15 ? 'under the target itself: no list through this database can meet it on this machine' : 'above the target'}. The service keeps ${(answered(list) / answered(alone)).toFixed(2)}× of that path${dataLayer ? ` (its data layer alone ${(answered(dataLayer) / answered(alone)).toFixed(2)}×)` : ''}.`,
    );
  }
  if (create && missed('create')) {
    lines.push(
      `- **POST item**: each request waits for its commit (one statement: the item and its outbox event together, and the WAL flush) through PgBouncer's ten server connections, which the ${f.settings.connections} client connections share; ${Math.round(answered(create))} req/s with p99 ${create.result.p99Ms.toFixed(0)} ms.` +
        (createAlone
          ? ` The database path alone (node:http and pg sending that statement, nothing else) serves ${Math.round(answered(createAlone))} req/s with p99 ${createAlone.result.p99Ms.toFixed(0)} ms${createAlone.result.p99Ms >= 100 ? ', over the target itself: no create through this database meets it on this machine' : ''}; the service keeps ${(answered(create) / answered(createAlone)).toFixed(2)}× of its rate, and also drains the outbox it fills.`
          : ''),
    );
  }
  if (missed('login')) {
    lines.push(
      `- **Login**: argon2id is the work and it needs both cores. The raw rate (${Math.round(f.verifyRate.verifiesPerSecond)}/s) is measured in a process of its own with nothing else running; the service's logins share the cores with the load generator, PgBouncer, PostgreSQL and Redis, and each also reads the account, checks the throttle, writes a session and signs a token.`,
    );
  }
  if (missed('coldStart')) {
    const loading = loadingShare(f);
    lines.push(
      loading === undefined
        ? '- **Cold start**: what remains is resolving and loading modules; bundling would cut it, but the tracing instrumentation patches packages as they are required.'
        : `- **Cold start**: loading code (the telemetry bootstrap and the service's modules, compiled code read from the cache) takes ${percent(loading)} of the median start; connecting, building the app and the first readiness answer take the rest (the phases are under "Start" below). Bundling would cut the loading, but the tracing instrumentation patches packages as they are required.`,
    );
  }
  return lines.length > 0 ? ['Why the missed ones are missed, from this run:', '', ...lines, ''] : [];
}
