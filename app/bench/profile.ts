import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// Innermost match wins: a sample is charged to the deepest frame that belongs to one of these parts.
const parts: [string, RegExp][] = [
  ['token verification (jose, ES256)', /node_modules\/jose\/|\/middleware\/authenticate\.js/],
  [
    'request log line (pino, redaction)',
    /node_modules\/(pino|@pinojs\/[^/]+|sonic-boom)\/|\/middleware\/request-log\.js/,
  ],
  [
    'rate limit (koa-ratelimit)',
    /node_modules\/(koa-ratelimit|async-ratelimiter)\/|\/middleware\/rate-limit\.js/,
  ],
  ['tracing (OpenTelemetry)', /node_modules\/@opentelemetry\/|\/observability\/tracing\//],
  [
    'metrics (prom-client)',
    /node_modules\/prom-client\/|\/observability\/[\w-]*metrics\.js|\/middleware\/request-metrics\.js/,
  ],
  ['Redis client (ioredis)', /node_modules\/(ioredis|@ioredis\/[^/]+|redis-errors|denque)\//],
  ['database (Prisma, pg)', /node_modules\/(@prisma\/[^/]+|pg|pg-[^/]+)\/|\/generated\/prisma\//],
  ['validation (zod)', /node_modules\/zod\//],
  [
    'Koa and its middleware',
    /node_modules\/(koa|koa-compose|@koa\/[^/]+|delegates|cookies|http-errors|on-finished)\//,
  ],
  ['service code', /\/dist\/(?!observability)/],
  ['HTTP server and sockets (Node)', /^node:(_http_|net|internal\/stream|internal\/streams|stream|events)/],
];

/**
 * Where a process spent its busy CPU time during the last `windowMs` of a V8 CPU profile, by part of the
 * request path. Idle time is left out; garbage collection is its own part.
 */
export function costBreakdown(profileDir: string, windowMs: number): { part: string; share: number }[] {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return [];
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const total = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const from = total - windowMs * 1000;
  const charged = new Map<string, number>();
  let elapsed = 0;
  let busy = 0;
  profile.samples.forEach((sample, i) => {
    elapsed += profile.timeDeltas[i] ?? 0;
    const delta = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(sample);
    if (elapsed < from || !leaf || leaf.callFrame.functionName === '(idle)') return;
    busy += delta;
    let part =
      leaf.callFrame.functionName === '(garbage collector)' ? 'garbage collection' : 'other (Node internals)';
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const url = byId.get(id)?.callFrame.url ?? '';
      const match = parts.find(([, pattern]) => pattern.test(url));
      if (match) {
        part = match[0];
        break;
      }
    }
    charged.set(part, (charged.get(part) ?? 0) + delta);
  });
  return [...charged].map(([part, time]) => ({ part, share: time / busy })).sort((a, b) => b.share - a.share);
}
