import type { RetentionSettings } from '../../config/retention-settings.js';
import { type RetentionRepository, tablePurges } from './retention-repository.js';

export interface TableReport {
  /** The period applied (0: kept forever, nothing looked at). */
  readonly days: number;
  /** Rows removed; in a dry run, rows that would have been. */
  readonly rows: number;
  /** Audit entries past the period that a legal hold keeps. */
  readonly held?: number;
}

export interface RetentionReport {
  readonly dryRun: boolean;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly tables: Readonly<Record<string, TableReport>>;
}

export interface RetentionRun {
  readonly settings: Pick<RetentionSettings, 'days' | 'batchSize'>;
  readonly dryRun: boolean;
  /** Called after each batch a real run deletes, with the rows it removed (metrics). */
  readonly onPurged?: (table: string, rows: number) => void;
}

/**
 * One pass over every retained table: a real run deletes due rows batch by batch until a batch comes back short
 * (nothing left, or the rest locked by a concurrent run that will delete it); a dry run counts them and deletes
 * nothing. A failing table stops the run: what is deleted stays deleted, and the next run picks up the rest.
 */
export async function runRetention(repo: RetentionRepository, run: RetentionRun): Promise<RetentionReport> {
  const startedAt = new Date();
  const { days, batchSize } = run.settings;
  const drain = async (table: string, batch: () => Promise<number>) => {
    let total = 0;
    for (;;) {
      const rows = await batch();
      total += rows;
      if (rows > 0) run.onPurged?.(table, rows);
      if (rows < batchSize) return total;
    }
  };
  const tables: Record<string, TableReport> = {};

  for (const purge of tablePurges) {
    const period = days[purge.kind];
    let rows = 0;
    if (period > 0 && run.dryRun) rows = await repo.countDue(purge, period);
    else if (period > 0) rows = await drain(purge.table, () => repo.purgeBatch(purge, period, batchSize));
    tables[purge.table] = { days: period, rows };
  }

  const audit = days.audit;
  if (audit === 0) tables.audit_logs = { days: 0, rows: 0 };
  else {
    const due = await repo.countAuditDue(audit);
    const rows = run.dryRun
      ? due.due
      : await drain('audit_logs', () => repo.purgeAuditBatch(audit, batchSize));
    tables.audit_logs = { days: audit, rows, held: due.held };
  }
  return { dryRun: run.dryRun, startedAt, finishedAt: new Date(), tables };
}

/** One line per table: what an operator reads at the end of `npm run retention`. */
export function formatReport(report: RetentionReport): string {
  const verb = report.dryRun ? 'would remove' : 'removed';
  const lines = Object.entries(report.tables).map(([table, entry]) => {
    if (entry.days === 0) return `${table}: kept forever (retention 0 days)`;
    const held = entry.held ? `; ${entry.held} kept under legal hold` : '';
    return `${table}: ${verb} ${entry.rows} older than ${entry.days} days${held}`;
  });
  const seconds = ((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000).toFixed(1);
  return [`retention ${report.dryRun ? 'dry run' : 'run'} (${seconds} s)`, ...lines].join('\n');
}
