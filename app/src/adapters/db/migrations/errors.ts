/** A migration already applied to the database no longer matches its file. */
export class MigrationChecksumMismatch extends Error {
  constructor(readonly migration: string) {
    super(
      `migration ${migration} was changed after it was applied (checksum differs from _prisma_migrations): ` +
        'restore the file and put the change in a new migration',
    );
    this.name = 'MigrationChecksumMismatch';
  }
}

/** A row left unfinished by an earlier run of another tool (this runner never leaves one). */
export class UnresolvedFailedMigration extends Error {
  constructor(readonly migration: string) {
    super(
      `migration ${migration} failed in an earlier run and is unresolved: fix the database, then ` +
        `\`prisma migrate resolve --rolled-back ${migration}\` (or --applied)`,
    );
    this.name = 'UnresolvedFailedMigration';
  }
}

/** The script itself failed; the whole run was rolled back, so nothing of it is recorded or applied. */
export class MigrationFailed extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(
      `migration ${migration} failed, nothing was applied: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'MigrationFailed';
  }
}

/** The runner wraps every run in its own transaction; a script that commits would end it and the lock early. */
export class MigrationControlsTransaction extends Error {
  constructor(readonly migration: string) {
    super(
      `migration ${migration} contains BEGIN/COMMIT/ROLLBACK: remove them, every run already is one transaction`,
    );
    this.name = 'MigrationControlsTransaction';
  }
}
