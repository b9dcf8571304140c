import type { Findings } from './document.js';
import { answered, median, ratio } from './figures.js';

/** The scenario rows the targets are about: the service's own answers. */
export function scenarioRows(f: Findings) {
  const service = (scenario: string) =>
    f.rows.find((row) => row.scenario === scenario && row.server === 'service');
  const starting = (prefix: string) => f.rows.find((row) => row.scenario.startsWith(prefix));
  // A baseline measured on the same scenario: its server's name says which (database alone, data layer alone).
  const baseline = (scenario: string, part: string) =>
    f.rows.find((row) => row.scenario === scenario && row.server.includes(part));
  return {
    health: service('GET /health/live'),
    item: service('GET /items/{id} (cached)'),
    me: starting('GET /users/me'),
    list: service('GET /items?limit=20 (PgBouncer)'),
    listDatabaseAlone: baseline('GET /items?limit=20 (PgBouncer)', 'database alone'),
    listDataLayerAlone: baseline('GET /items?limit=20 (PgBouncer)', 'data layer alone'),
    create: service('POST /items'),
    createDatabaseAlone: baseline('POST /items', 'database alone'),
    login: starting('POST /auth/token'),
  };
}

export type Topic = 'health' | 'item' | 'me' | 'list' | 'create' | 'login' | 'coldStart';

export interface TargetFigure {
  readonly topic: Topic;
  readonly label: string;
  readonly measured: number | undefined;
  readonly bound: number;
  readonly kind: 'min' | 'max';
  readonly unit: string;
}

/** Issue 16's targets, each with what this run measured for it: the one place their bounds are written. */
export function targetFigures(f: Findings): TargetFigure[] {
  const base = f.bareKoa.mean;
  const { health, item, me, list, create, login } = scenarioRows(f);
  const verify = f.verifyRate;
  const target = (
    topic: Topic,
    label: string,
    measured: number | undefined,
    bound: number,
    kind: 'min' | 'max',
    unit: string,
  ): TargetFigure => ({ topic, label, measured, bound, kind, unit });
  return [
    target('health', 'health ≥ 0.5× bare Koa', ratio(health, base), 0.5, 'min', '×'),
    target('item', 'cached item read ≥ 0.35× bare Koa', ratio(item, base), 0.35, 'min', '×'),
    target('item', 'cached item read p99 < 25 ms', item?.result.p99Ms, 25, 'max', 'ms'),
    target(
      'me',
      `users/me, ${f.settings.callers} users, read cache off ≥ 0.2× bare Koa`,
      ratio(me, base),
      0.2,
      'min',
      '×',
    ),
    target('me', 'users/me, read cache off, p99 < 50 ms', me?.result.p99Ms, 50, 'max', 'ms'),
    target('list', 'list of 20 via PgBouncer ≥ 0.15× bare Koa', ratio(list, base), 0.15, 'min', '×'),
    target('list', 'list of 20 p99 < 60 ms', list?.result.p99Ms, 60, 'max', 'ms'),
    target('create', 'POST item p99 < 100 ms', create?.result.p99Ms, 100, 'max', 'ms'),
    target(
      'login',
      `login ≥ 80 % of the raw argon2id verify rate (${Math.round(verify.verifiesPerSecond)}/s at ${verify.concurrency} in flight)`,
      login ? (answered(login) / verify.verifiesPerSecond) * 100 : undefined,
      80,
      'min',
      '%',
    ),
    target(
      'coldStart',
      'cold start to ready < 1.5 s (median)',
      median(f.coldStartMs) / 1000,
      1.5,
      'max',
      's',
    ),
  ];
}

export const isMet = ({ measured, bound, kind }: TargetFigure) =>
  measured !== undefined &&
  !Number.isNaN(measured) &&
  (kind === 'min' ? measured >= bound : measured < bound);
