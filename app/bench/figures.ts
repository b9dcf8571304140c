import type { Row } from './report.js';

export const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Requests per second answered with 2xx: a refused request (a 429, say) is no throughput. */
export const answered = ({ result }: Row) =>
  result.requests > 0 ? result.requestsPerSecond * (1 - result.non2xx / result.requests) : 0;

/** A row's answered rate as a multiple of `base` (bare Koa's mean rate in the same run). */
export const ratio = (row: Row | undefined, base: number) => (row ? answered(row) / base : Number.NaN);
