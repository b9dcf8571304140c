import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/index.js';
import { openPostgres } from '../../src/adapters/db/postgres.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startPgBouncer } from '../support/pgbouncer.js';

// Transaction pooling hands each transaction to whichever server connection is free: session state and
// named prepared statements do not survive between them. These run the real client through a real PgBouncer.
describe('Prisma through PgBouncer in transaction mode', () => {
  let database: TestDatabase;
  let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    bouncer = await startPgBouncer({ poolSize: 2 });
    db = openPostgres({
      kind: 'postgres',
      url: bouncer.urlFor(database.url),
      directUrl: database.url,
      poolMax: 10,
      connectTimeoutMs: 3000,
    });
  });
  afterAll(async () => {
    await db.close();
    bouncer.stop();
    await database.drop();
  });

  const newUser = (email: string) => ({ email, passwordHash: 'x', fullName: 'Pooled User' });

  it('runs queries, many more at once than there are server connections', async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.prisma.user.create({ data: newUser(`u${i}@example.com`) })),
    );
    expect(new Set(created.map((user) => user.id)).size).toBe(20);
    expect(await db.prisma.user.count()).toBe(20);
  });

  it('commits an interactive transaction as one unit', async () => {
    const owner = await db.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: newUser('tx-owner@example.com') });
      await tx.item.create({ data: { title: 'first', ownerId: user.id } });
      await tx.item.create({ data: { title: 'second', ownerId: user.id } });
      return user;
    });
    expect(await db.prisma.item.count({ where: { ownerId: owner.id } })).toBe(2);
  });

  it('rolls an interactive transaction back entirely when it fails', async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.user.create({ data: newUser('rolled-back@example.com') });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.prisma.user.findUnique({ where: { email: 'rolled-back@example.com' } })).toBeNull();
  });

  it('keeps concurrent interactive transactions apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db.prisma.$transaction(async (tx) => {
          const user = await tx.user.create({ data: newUser(`concurrent${i}@example.com`) });
          const seen = await tx.user.findUniqueOrThrow({ where: { id: user.id } });
          return seen.email;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 8 }, (_, i) => `concurrent${i}@example.com`));
  });
});
