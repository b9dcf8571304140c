import type { LoadResult } from './load.js';

/** One measured line of the report: a scenario on one server, with the server's memory after it. */
export interface Row {
  readonly scenario: string;
  readonly server: string;
  readonly result: LoadResult;
  readonly rssMb?: number;
}

const header = [
  'scenario',
  'server',
  'req/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'vs bare Koa',
  'CPU µs/req',
  'RSS MB',
];

/** The table's cells: figures as measured, the ratio against bare Koa's health answer in this same run. */
export function cells(rows: readonly Row[], bareKoa: number): string[][] {
  return rows.map(({ scenario, server, result, rssMb }) => [
    scenario,
    server,
    Math.round(result.requestsPerSecond).toString(),
    result.p50Ms.toFixed(1),
    result.p99Ms.toFixed(1),
    String(result.errors + result.non2xx),
    `${(result.requestsPerSecond / bareKoa).toFixed(2)}x`,
    result.cpuMicrosPerRequest === undefined || Number.isNaN(result.cpuMicrosPerRequest)
      ? ''
      : Math.round(result.cpuMicrosPerRequest).toString(),
    rssMb === undefined || Number.isNaN(rssMb) ? '' : rssMb.toFixed(0),
  ]);
}

export function printTable(rows: readonly Row[], bareKoa: number, title: string): void {
  const body = cells(rows, bareKoa);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(`\n${title}\n${line(header)}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

export function markdownTable(rows: readonly Row[], bareKoa: number): string {
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8]);
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (numeric.has(i) ? '---:' : '---')).join('|')}|`,
    ...cells(rows, bareKoa).map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
