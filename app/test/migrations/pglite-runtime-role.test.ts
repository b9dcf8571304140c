import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.js';
import { openPglite } from '../../src/adapters/db/pglite.js';
import type { Logger } from '../../src/observability/logger.js';

const quiet = { debug: () => undefined, info: () => undefined } as unknown as Logger;

// The embedded database (local tier) has one superuser. The service's queries still run as the runtime role,
// so code that would need more than the runtime grants fails on a laptop as it would in a cluster.
describe('the embedded database serves the service as the runtime role', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pglite-runtime-'));
    db = await openPglite({ kind: 'pglite', dir }, quiet);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('may insert and read audit entries', async () => {
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO audit_logs (action, outcome) VALUES ('user.login', 'SUCCESS')`,
    );
    expect(await db.prisma.auditLog.count()).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['disable the audit trigger', 'ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only_rows'],
    ['drop the audit table', 'DROP TABLE audit_logs'],
    ['truncate the audit table', 'TRUNCATE audit_logs'],
    ['create a table', 'CREATE TABLE shadow (id int)'],
  ])('may not %s', async (_name, statement) => {
    await expect(db.prisma.$executeRawUnsafe(statement)).rejects.toThrow(/permission denied|must be owner/);
  });
});
