import type { LoadResult } from './load.js';

/** One table per scenario: figures per server and the ratio to the bare Koa row measured in the same run. */
export function printTable(
  title: string,
  results: Map<string, LoadResult>,
  run: { connections: number; seconds: number },
): void {
  const baseline =
    [...results].find(([name]) => name.startsWith('bare Koa'))?.[1].requestsPerSecond ?? Number.NaN;
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
  console.log(`\n${title} (${run.connections} connections, ${run.seconds} s each, loopback)`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
