import { z } from 'zod';
import { bool, int } from './env-types.js';

/** Days to keep; 0 keeps that kind of row forever (its purge is off). */
const days = int(0, 36_500);

/**
 * A cron pattern as BullMQ's job scheduler reads it (five fields, or six with seconds first). Checked for shape
 * here so a typo stops the start with the variable's name; the scheduler parses the fields themselves.
 */
const cronPattern = z
  .string()
  .trim()
  .regex(/^\S+(\s+\S+){4,5}$/, 'must be a cron pattern of five or six fields, e.g. "17 3 * * *"');

/** Variables of data retention (src/retention); spread into the one env schema. */
export const retentionEnv = {
  /** false: the worker schedules no purge (`npm run retention` still runs one by hand). */
  RETENTION_ENABLED: bool.default(true),
  /** When the worker's purge runs (UTC). Daily, off-peak, by default. */
  RETENTION_SCHEDULE: cronPattern.default('17 3 * * *'),
  /** true: scheduled runs only report what they would remove. */
  RETENTION_DRY_RUN: bool.default(false),
  /** Rows per DELETE (one short transaction each): bounds lock time and WAL per statement. */
  RETENTION_BATCH_SIZE: int(1, 10_000).default(1000),
  /** Audit entries, by age, unless a legal hold covers them. */
  AUDIT_RETENTION_DAYS: days.default(365),
  /** Published outbox events and the records of handled events, by when they were published or handled. */
  EVENTS_RETENTION_DAYS: days.default(30),
  /** Sessions (and the retired refresh tokens of each), counted from their expiry or revocation. */
  SESSIONS_RETENTION_DAYS: days.default(30),
  /** Notifications, by age. */
  NOTIFICATIONS_RETENTION_DAYS: days.default(90),
  /** Deleted items, counted from their deletion (until then they are hidden, not gone). */
  ITEMS_DELETED_RETENTION_DAYS: days.default(30),
};

export interface RetentionSettings {
  readonly enabled: boolean;
  readonly schedule: string;
  readonly dryRun: boolean;
  readonly batchSize: number;
  /** Days per kind of row; 0 keeps it forever. */
  readonly days: Readonly<Record<RetainedKind, number>>;
}

/** The kinds of rows retention purges: the label of its metrics and the keys of its report. */
export const retainedKinds = ['audit', 'events', 'sessions', 'notifications', 'deleted_items'] as const;
export type RetainedKind = (typeof retainedKinds)[number];

export function toRetentionSettings(env: {
  RETENTION_ENABLED: boolean;
  RETENTION_SCHEDULE: string;
  RETENTION_DRY_RUN: boolean;
  RETENTION_BATCH_SIZE: number;
  AUDIT_RETENTION_DAYS: number;
  EVENTS_RETENTION_DAYS: number;
  SESSIONS_RETENTION_DAYS: number;
  NOTIFICATIONS_RETENTION_DAYS: number;
  ITEMS_DELETED_RETENTION_DAYS: number;
}): RetentionSettings {
  return {
    enabled: env.RETENTION_ENABLED,
    schedule: env.RETENTION_SCHEDULE,
    dryRun: env.RETENTION_DRY_RUN,
    batchSize: env.RETENTION_BATCH_SIZE,
    days: {
      audit: env.AUDIT_RETENTION_DAYS,
      events: env.EVENTS_RETENTION_DAYS,
      sessions: env.SESSIONS_RETENTION_DAYS,
      notifications: env.NOTIFICATIONS_RETENTION_DAYS,
      deleted_items: env.ITEMS_DELETED_RETENTION_DAYS,
    },
  };
}
