import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Retention's metrics, on the registry of the process that runs it (the worker). Rows purged count per table as
 * each batch commits; the last successful run's time is what an alert watches (a purge that stopped running
 * lets tables grow for weeks before anything else notices).
 */
export function createRetentionMetrics(registry: Registry) {
  const registers = [registry];
  const purged = new Counter({
    name: 'retention_rows_purged_total',
    help: 'Rows retention deleted, by table (dry runs delete nothing and count nothing here).',
    labelNames: ['table'] as const,
    registers,
  });
  const lastRun = new Gauge({
    name: 'retention_last_success_timestamp_seconds',
    help: 'When the last retention run finished without error (Unix time), by mode (purge or dry_run).',
    labelNames: ['mode'] as const,
    registers,
  });
  return {
    /** Starts every table's series at 0, so a rate over a table never purged yet is 0 rather than absent. */
    track(tables: readonly string[]) {
      for (const table of tables) purged.inc({ table }, 0);
    },
    recordPurged(table: string, rows: number) {
      purged.inc({ table }, rows);
    },
    recordRun(dryRun: boolean, finishedAt: Date) {
      lastRun.set({ mode: dryRun ? 'dry_run' : 'purge' }, finishedAt.getTime() / 1000);
    },
  };
}

export type RetentionMetrics = ReturnType<typeof createRetentionMetrics>;
