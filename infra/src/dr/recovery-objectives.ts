/**
 * What a restore drill measures. RPO: how much committed work the restore lost, the time between the instant
 * asked for (the target time, or the drill's start when restoring to the end of the archive) and the last commit
 * the restore holds. RTO: wall time from asking for the restore to a database that accepts the service.
 */
export interface RecoveryObjectives {
  targetTime: Date;
  lastRestoredCommit: Date | null;
  rpoSeconds: number | null;
  rtoSeconds: number;
}

export function recoveryObjectives(args: {
  targetTime: Date;
  lastRestoredCommit: Date | null;
  startedAt: Date;
  readyAt: Date;
}): RecoveryObjectives {
  const { targetTime, lastRestoredCommit, startedAt, readyAt } = args;
  return {
    targetTime,
    lastRestoredCommit,
    rpoSeconds:
      lastRestoredCommit === null
        ? null
        : Math.max(0, (targetTime.getTime() - lastRestoredCommit.getTime()) / 1000),
    rtoSeconds: (readyAt.getTime() - startedAt.getTime()) / 1000,
  };
}
